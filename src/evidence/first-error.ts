// What a lane left behind, read for one thing: the first thing that went wrong, in the words a
// person running Case would use. Reason codes say which rule failed; this says what happened.
// Everything here is lane output, so it is untrusted text: control characters are removed and
// every line is clipped before it can reach a terminal or a report.

export interface LaneLeftovers {
  readonly exit_code: number | null;
  readonly signal: string | null;
  readonly timed_out: boolean;
  readonly pipeline_outcome: string | null;
  readonly acceptance: { readonly ran: boolean; readonly passed: boolean; readonly exit_code: number | null; readonly detail: string; readonly output_tail: string };
  // The recording proxy's audit: what the model server answered to each request it forwarded.
  readonly requests: readonly { readonly status: number; readonly refused: string | null }[];
  readonly stdout: string;
  readonly stderr: string;
  // Case's event logs (.case/<slug>/events/run-*.jsonl), oldest first, as read.
  readonly events: readonly string[];
}

export const FIRST_ERROR_SOURCES = ['process', 'case', 'model_server', 'acceptance'] as const;

export interface FirstError {
  // Where it came from: Case's process ended badly, Case's pipeline failed, the model server
  // answered with errors (Case hides these behind its own message), or the harness's acceptance
  // check failed after a pipeline that said it completed.
  readonly source: (typeof FIRST_ERROR_SOURCES)[number];
  // One line, then (for the acceptance check) the end of its output, one line each.
  readonly message: string;
}

const MAX_LINE = 300;
const TAIL_LINES = 12;

// ANSI/VT escape sequences (CSI and OSC), then any other control character but newline and tab.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b./g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function printableLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(ESCAPES, '')
    .replace(CONTROLS, '')
    .split('\n')
    .map((line) => line.replace(/\t/g, ' ').trimEnd())
    .filter((line) => line.trim() !== '')
    .map((line) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line));
}

function clip(text: string): string {
  return printableLines(text).join(' ').slice(0, MAX_LINE * 2);
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

// One record per line that parses; a log cut short by a killed Case ends in half a line.
function eventRecords(logs: readonly string[]): Record<string, unknown>[] {
  return logs.flatMap((log) =>
    log.split('\n').flatMap((line) => {
      try {
        return [record(JSON.parse(line))].filter((event) => event !== null);
      } catch {
        return [];
      }
    }),
  );
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

// Case's crash handler prints `Fatal: ...`; the fake Case and the stand-ins print `case: ...`;
// Node prints `Error: ...` (or `AssertionError [ERR_ASSERTION]: ...`) above its stack.
const ERROR_LINE = /^\s*(?:Fatal|Error|[A-Z]\w*Error(?: \[\w+\])?|case|error):\s/;
const NOISE_LINE = /^\s+at |^Node\.js v\d/;

function jsonErrorLine(line: string): string | null {
  const start = line.indexOf('{');
  if (start < 0) return null;
  try {
    const log = record(JSON.parse(line.slice(start)));
    if (!log || (log['level'] !== 'error' && log['level'] !== 'fatal')) return null;
    const msg = text(log['msg']) ?? 'error';
    const error = text(log['error']);
    return error ? `${msg}: ${error}` : msg;
  } catch {
    return null;
  }
}

// What Case itself said when it crashed: its error line, else an error-level log line, else the
// last line it wrote that is not a stack frame.
function crashWords(stderr: string, stdout: string): string | null {
  const lines = printableLines(stderr);
  const said = lines.find((line) => ERROR_LINE.test(line)) ?? lines.map(jsonErrorLine).find((line) => line !== null);
  if (said) return said.trim();
  const lastOf = (all: string[]) => all.filter((line) => !NOISE_LINE.test(line)).at(-1)?.trim();
  return lastOf(lines) ?? lastOf(printableLines(stdout)) ?? null;
}

// Case records a failed phase as `phase_end` with `outcome: failed` and the agent's result, whose
// `error` (or `summary`) is the agent's own account; stdout says only "Pipeline failed at X phase.".
function pipelineWords(left: LaneLeftovers): string {
  const events = eventRecords(left.events);
  const failedPhase = events.find((event) => event['event'] === 'phase_end' && event['outcome'] === 'failed');
  const result = record(failedPhase?.['result']);
  const why = text(result?.['error']) ?? text(result?.['summary']);
  const phase = text(failedPhase?.['phase']);
  if (phase && why) return `Pipeline failed at ${phase} phase: ${clip(why)}`;
  const printed = printableLines(left.stdout).find((line) => line.includes('Pipeline failed at'));
  if (printed) return printed.slice(printed.indexOf('Pipeline failed at')).trim();
  const failedAgent = text(events.find((event) => event['event'] === 'pipeline_end')?.['failedAgent']);
  if (phase || failedAgent) return `Pipeline failed at ${phase ?? failedAgent} phase`;
  if (left.pipeline_outcome === null) {
    const said = crashWords(left.stderr, '');
    return `Case ended without a pipeline_end event${said ? `; it last said: ${said}` : ''}`;
  }
  return `Case's pipeline ended "${clip(left.pipeline_outcome)}", not completed`;
}

function processWords(left: LaneLeftovers): string {
  if (left.timed_out) return 'Case did not finish before the timeout; its process tree was killed';
  const how = left.exit_code === null ? `was killed by ${left.signal ?? 'a signal'}` : `exited with code ${left.exit_code}`;
  const said = crashWords(left.stderr, left.stdout);
  return said ? `Case ${how}: ${said}` : `Case ${how} and printed nothing`;
}

// Requests the proxy forwarded that the model server answered with an error (or never answered:
// status 0). The proxy's own refusals are evidence of another model, judged elsewhere.
function serverErrors(requests: LaneLeftovers['requests']): string | null {
  const failed = requests.filter((r) => r.refused === null && (r.status === 0 || r.status >= 400));
  if (failed.length === 0) return null;
  const counts = new Map<string, number>();
  for (const r of failed) {
    const key = r.status === 0 ? 'no answer' : `HTTP ${r.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const forwarded = requests.filter((r) => r.refused === null).length;
  const byStatus = [...counts].map(([key, count]) => `${key} ×${count}`).join(', ');
  return `${failed.length} of ${forwarded} model request(s) failed at the model server (${byStatus})`;
}

function acceptanceWords(acceptance: LaneLeftovers['acceptance']): string {
  if (!acceptance.ran) return `the acceptance check did not run: ${clip(acceptance.detail)}`;
  const how = acceptance.exit_code === null ? `did not finish (${clip(acceptance.detail)})` : `exited with code ${acceptance.exit_code}`;
  // From the last error line a test runner printed, if any: what failed comes before its details.
  const lines = printableLines(acceptance.output_tail).filter((line) => !NOISE_LINE.test(line));
  const lastError = lines.map((line) => ERROR_LINE.test(line)).lastIndexOf(true);
  const tail = lastError >= 0 ? lines.slice(lastError, lastError + TAIL_LINES) : lines.slice(-TAIL_LINES);
  return tail.length > 0 ? `the acceptance check ${how}; it printed:\n${tail.join('\n')}` : `the acceptance check ${how} and printed nothing`;
}

// The first thing that went wrong, following the lane's own order: Case's process, then its
// pipeline, then the harness's acceptance check. Errors from the model server come before
// whatever Case made of them. Null when the lane's process, pipeline and check all succeeded.
export function firstError(left: LaneLeftovers): FirstError | null {
  const server = serverErrors(left.requests);
  const caseFailed = left.timed_out || left.exit_code !== 0;
  if (caseFailed || left.pipeline_outcome !== 'completed') {
    const words = caseFailed ? processWords(left) : pipelineWords(left);
    if (server) return { source: 'model_server', message: `${server}; then ${words}` };
    return { source: caseFailed ? 'process' : 'case', message: words };
  }
  if (!left.acceptance.passed) return { source: 'acceptance', message: acceptanceWords(left.acceptance) };
  return null;
}
