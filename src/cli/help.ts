import { GENERATOR } from '../report/generator.js';
import { DEFAULT_FIXTURE, DEFAULT_OUT_DIR } from '../run/route-options.js';

export const VERSION = GENERATOR.version;

const ENV_HELP = `Environment:
  CTO_HARNESS_CASE_DECISION_FILE         the CTO-WORK-020 decision record (JSON)
  CTO_HARNESS_CASE_MODEL_ADMISSION_FILE  the admission file (JSON), read, never written
  CTO_HARNESS_CASE_MODEL_PROVIDER        the admitted logical provider, e.g. qwen-local
  CTO_HARNESS_CASE_MODEL                 the admitted model id, e.g. qwen3.6-35b-a3b
  CTO_HARNESS_CASE_LOCAL_BASE_URL        the local OpenAI-compatible server, loopback only
  CTO_HARNESS_CASE_COMMAND               how to start Case (real lane), e.g. "ca"
  CTO_HARNESS_CASE_LOCAL_API_KEY         optional key for the local server; never given to Case
  NO_COLOR                               set (non-empty) to turn colour off
`;

const EXITS = `Exit codes: 0 pass, 1 fail after start, 2 blocked, 64 usage error, 130 aborted by a signal.
`;

export const HELP = {
  main: `case-route ${VERSION}: run WorkOS Case against an admitted local model, fail-closed, with evidence.

Usage: case-route <command> [options]

Commands:
  run        run the route: gates, then Case (fake or real lane), then the evidence report
  validate   run every pre-start gate; never starts Case
  graph      print the route diagram, optionally with a run's path marked
  schema     print the JSON Schema of the decision record, the admission file or the report
  verify     check a run directory against its attestation
  runs       list the runs in an out directory and write its index.html, to compare them
  provider   serve the scripted OpenAI-compatible local provider, or replay a recorded run
  fixture    make a fixture from a recorded run (fixture from-run RUN_DIR NAME)

Options: --help (also after any command), --version, --debug (stack traces on every error)
Progress goes to stderr; data (reports, diagrams, schemas) to stdout.

${ENV_HELP}
${EXITS}`,
  run: `Usage: case-route run [--lane fake|real|replay] [--from RUN_DIR] [--fixture NAME] [--out DIR] [--json]
                      [--timeout S] [--isolation required|auto|off] [--keep-workspace] [--no-transcript]
                      [--watch [PORT]] [--watch-delay S]
                      [--inspect] [--inspect-port N] [--inspect-delay S]

  --lane            fake (default): the bundled fake Case; real: CTO_HARNESS_CASE_COMMAND
                    plus the fake baseline in the same run; replay: Case (CTO_HARNESS_CASE_COMMAND
                    when set, else the fake Case) against the recorded run --from RUN_DIR, served
                    by the harness; fails with replay_diverged when Case leaves the recording
  --from RUN_DIR    the recorded run the replay lane replays (its fixture is the default)
  --fixture NAME    an artificial fixture under examples/fixtures (default ${DEFAULT_FIXTURE})
  --out DIR         where run directories go (default ${DEFAULT_OUT_DIR}); each run writes
                    DIR/<run_id>/report.json, report.html, route.mmd and report.intoto.json
  --json            print the report on stdout, with report_file: the path of its report.json
  --timeout S       Stage 2's deadline in seconds; lanes still running are killed (default 1200)
  --isolation MODE  required (default): each lane in its own user, mount, PID and network
                    namespaces, or the run blocks with isolation_unavailable; auto: isolated
                    where the kernel allows; off: not isolated, and the report says so
  --keep-workspace  keep the temp workspace (fixture copies, generated Case config)
  --no-transcript   do not keep the lanes' model exchanges (lanes/<lane>/transcript.jsonl)
  --watch [PORT]    serve a live view of the run on 127.0.0.1 (default: a free port) and print
                    its URL: the route with the current state lit, every event, the requests
                    through the recording proxy, the verdict. Works offline: the page loads
                    nothing else. Served until the run ends; the process still exits then.
  --watch-delay S   wait S seconds after printing the URL before the run starts; implies --watch
  --inspect         serve the Stately inspector bridge and stream the run to it; prints the
                    URL to open (the page embeds https://stately.ai/inspect: needs internet).
                    The process still exits when the run ends.
  --inspect-port N  the inspector's port (default: a free one); implies --inspect
  --inspect-delay S wait S seconds after printing the URL before the run starts, so that a
                    short run can be watched from its first state; implies --inspect

Progress goes to stderr, one line per state. ${EXITS}
${ENV_HELP}`,
  validate: `Usage: case-route validate [--lane fake|real|replay] [--from RUN_DIR] [--fixture NAME] [--isolation MODE] [--json]

Runs every pre-start gate (decision, config, admission, provider preflight, fixture, Case command,
generated adapter config) and stops before Case would start. Writes no report.
  --json      print { status, blocked: { gate, reason, detail } | null, states_visited } on stdout,
              what validateRoute() returns
Exit 0 ready, 2 blocked, 64 usage error.

${ENV_HELP}`,
  graph: `Usage: case-route graph [--format mermaid|json] [--report FILE]

Prints the route diagram, read from the machine definition: every state, every transition with
its event and its guard (!name means the gate named name failed).
  --format    mermaid (default, a stateDiagram-v2) or json
  --report    a run's report.json (or its directory): marks the states the run visited, the
              transitions it took and where it blocked
Exit 0 printed, 1 the report cannot be read or is not a case-route report, 64 usage error.
`,
  schema: `Usage: case-route schema decision|admission|report

Prints the JSON Schema (draft 2020-12) generated from the schema the code validates with, with a
description and an example for every field and a whole example record.
Copies are kept under schemas/ in the project. Exit 0 printed, 64 usage error.
`,
  verify: `Usage: case-route verify REPORT_DIR [--json]

Recomputes the sha256 of every file in a run directory and compares it with the directory's
report.intoto.json (an in-toto Statement v1): a changed, missing or unlisted file, or a
predicate that disagrees with report.json, means the evidence is not intact.
  --json      print the verdict as JSON on stdout
Exit 0 intact, 1 not intact (or no attestation), 64 usage error.
`,
  runs: `Usage: case-route runs [DIR] [--json]

Lists the runs in an out directory (default ${DEFAULT_OUT_DIR}), newest first: when, status, lane,
model, requests, tokens per second and median time to first token (the primary lane's: the model
under Case), each read from its report.json and checked against the report schema; a directory
that is not a readable run of this version is listed as unreadable, with why. Writes DIR/index.html:
the runs side by side, each linking its report.html (self-contained, nothing loaded).
  --json      print the list as JSON on stdout
Exit 0 listed, 1 DIR missing or index.html not written, 64 usage error.
`,
  fixture: `Usage: case-route fixture from-run RUN_DIR NAME [--out DIR]

Turns an intact recorded run whose primary lane passed Stage 2 into a fixture: the recorded
fixture's files (fixture.json, task, repo/) with a model-script.json that answers, per Case agent
and turn, as the recorded model did. Written into DIR (default: ./NAME), which must not exist.
Put it under examples/fixtures/NAME to run it with --fixture NAME.
`,
  provider: `Usage: case-route provider --model ID [--port N] [--script FILE]
       case-route provider --replay RUN_DIR [--timing none|recorded] [--port N]

Serves a scripted OpenAI-compatible model on 127.0.0.1 (/health, /v1/models,
/v1/chat/completions streamed or not). Prints {"url","model"} on stdout; stops on SIGINT/SIGTERM.
--script is a model script (see examples/fixtures/*/model-script.json).
--replay serves a recorded run's transcript (lanes/<primary lane>/transcript.jsonl of an intact
run directory): each request gets the recorded answer of the same Case agent and turn when it is
equivalent to the recorded request, else a 400 saying where it diverged (agent, turn, JSON path).
--timing recorded sends each streamed event when it came in the recording (default: at once).
`,
} as const;

export type HelpTopic = keyof typeof HELP;
