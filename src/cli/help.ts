import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { DEFAULT_FIXTURE, DEFAULT_OUT_DIR } from '../run/route-options.js';

export const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const ENV_HELP = `Environment:
  CTO_HARNESS_CASE_DECISION_FILE         the CTO-WORK-020 decision record (JSON)
  CTO_HARNESS_CASE_MODEL_ADMISSION_FILE  the admission file (JSON), read, never written
  CTO_HARNESS_CASE_MODEL_PROVIDER        the admitted logical provider, e.g. qwen-local
  CTO_HARNESS_CASE_MODEL                 the admitted model id, e.g. qwen3.6-35b-a3b
  CTO_HARNESS_CASE_LOCAL_BASE_URL        the local OpenAI-compatible server, loopback only
  CTO_HARNESS_CASE_COMMAND               how to start Case (real lane), e.g. "ca"
  CTO_HARNESS_CASE_LOCAL_API_KEY         optional key for the local server; never given to Case
`;

const EXITS = `Exit codes: 0 pass, 1 fail after start, 2 blocked, 64 usage error, 130 aborted by a signal.
`;

export const HELP = {
  main: `case-route ${VERSION}: run WorkOS Case against an admitted local model, fail-closed, with evidence.

Usage: case-route <command> [options]

Commands:
  run        run the route: gates, then Case (fake or real lane), then the evidence report
  validate   run every pre-start gate; never starts Case
  provider   serve the scripted OpenAI-compatible local provider (for demos and tests)

Options: --help on any command, --version, --debug (stack traces on errors)

${ENV_HELP}
${EXITS}`,
  run: `Usage: case-route run [--lane fake|real] [--fixture NAME] [--out DIR] [--json] [--timeout S] [--keep-workspace]

  --lane            fake (default): the bundled fake Case; real: CTO_HARNESS_CASE_COMMAND
                    plus the fake baseline in the same run
  --fixture NAME    an artificial fixture under examples/fixtures (default ${DEFAULT_FIXTURE})
  --out DIR         where run directories go (default ${DEFAULT_OUT_DIR}); the report is
                    DIR/<run_id>/report.json
  --json            print the report on stdout
  --timeout S       per-lane timeout in seconds (default 1200)
  --keep-workspace  keep the temp workspace (fixture copies, generated Case config)

Progress goes to stderr, one line per state. ${EXITS}
${ENV_HELP}`,
  validate: `Usage: case-route validate [--lane fake|real] [--fixture NAME] [--json]

Runs every pre-start gate (decision, config, admission, provider preflight, fixture, Case command,
generated adapter config) and stops before Case would start. Exit 0 ready, 2 blocked.

${ENV_HELP}`,
  provider: `Usage: case-route provider --model ID [--port N] [--script FILE]

Serves a scripted OpenAI-compatible model on 127.0.0.1 (/health, /v1/models,
/v1/chat/completions streamed or not). Prints {"url","model"} on stdout; stops on SIGINT/SIGTERM.
--script is a model script (see examples/fixtures/*/model-script.json).
`,
} as const;
