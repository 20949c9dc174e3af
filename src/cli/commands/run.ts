import { relative, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createRouteActor } from '../../run/run-route.js';
import { validateRoute } from '../../run/validate-route.js';
import { DEFAULT_FIXTURE, DEFAULT_OUT_DIR, RouteOptionsError } from '../../run/route-options.js';
import { REPORT_HTML } from '../../report/artifact-names.js';
import type { Report } from '../../report/report-schema.js';
import { parse, portNumber, positiveSeconds, UsageError } from '../args.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import type { RouteInspector } from '../inspector.js';
import { printData, say, verdictWord } from '../output.js';

const COMMON = {
  lane: { type: 'string' },
  from: { type: 'string' },
  isolation: { type: 'string' },
  fixture: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const RUN_ONLY = {
  out: { type: 'string' },
  timeout: { type: 'string' },
  'keep-workspace': { type: 'boolean' },
  'no-transcript': { type: 'boolean' },
  inspect: { type: 'boolean' },
  'inspect-port': { type: 'string' },
  'inspect-delay': { type: 'string' },
} as const;

// Why a run did not pass, the lane's own first error before the reason codes: what went wrong
// in the user's terms, then which rule that broke.
function whyLines(report: Report): string[] {
  const lines: string[] = [];
  if (report.status === 'blocked') lines.push(`reason: ${report.blocked_reason}: ${report.blocked_detail}`);
  if (report.first_error) {
    const [first, ...rest] = report.first_error.message.split('\n');
    lines.push(`${report.first_error.lane} lane: ${first}`, ...rest.map((line) => `  ${line}`));
  }
  for (const finding of report.fail_reasons) lines.push(`reason: ${finding.reason}: ${finding.detail}`);
  return lines;
}

// Options the route refuses (a --from that is not an intact recorded run) are the caller's to fix.
function asUsageError(error: unknown): never {
  throw error instanceof RouteOptionsError ? new UsageError(error.message) : error;
}

export async function runCommand(args: string[], mode: 'run' | 'validate'): Promise<number> {
  // validate takes only the common flags, so `validate --inspect` is a usage error, not ignored.
  const { values } = parse(args, mode === 'run' ? { ...COMMON, ...RUN_ONLY } : COMMON) as {
    values: {
      lane?: string;
      from?: string;
      isolation?: string;
      fixture?: string;
      json?: boolean;
      out?: string;
      timeout?: string;
      'keep-workspace'?: boolean;
      'no-transcript'?: boolean;
      inspect?: boolean;
      'inspect-port'?: string;
      'inspect-delay'?: string;
    };
  };
  const lane = values.lane ?? 'fake';
  if (lane !== 'fake' && lane !== 'real' && lane !== 'replay') throw new UsageError(`--lane is fake, real or replay, not "${lane}"`);
  if ((lane === 'replay') !== (values.from !== undefined)) throw new UsageError(lane === 'replay' ? '--lane replay needs --from RUN_DIR, the recorded run' : '--from goes with --lane replay');
  const isolation = values.isolation ?? 'required';
  if (isolation !== 'required' && isolation !== 'auto' && isolation !== 'off') throw new UsageError(`--isolation is required, auto or off, not "${isolation}"`);
  const timeoutMs = positiveSeconds(values.timeout, '--timeout');
  const inspectPort = portNumber(values['inspect-port'], '--inspect-port');
  const inspectDelayMs = positiveSeconds(values['inspect-delay'], '--inspect-delay');
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let inspector: RouteInspector | undefined;
  try {
    if (values.inspect || inspectPort !== undefined || inspectDelayMs !== undefined) {
      const { startInspector } = await import('../inspector.js');
      inspector = await startInspector(inspectPort, [{ path: resolve(values.out ?? DEFAULT_OUT_DIR), label: '<out>' }]);
      say(`inspector: open ${inspector.url} in a browser to watch the run (the page embeds https://stately.ai/inspect)`);
      // The bridge page connects once, when it loads: a run shorter than opening it can only be
      // watched if it waits for the viewer.
      if (inspectDelayMs !== undefined) {
        say(`inspector: starting the run in ${inspectDelayMs / 1000} s`);
        const started = await delay(inspectDelayMs, true, { signal: abort.signal }).catch(() => false);
        if (!started) {
          say(`${verdictWord(process.stderr, 'aborted')} before the run started`);
          return EXIT.aborted;
        }
      }
    }
    // A replay uses its recorded run's fixture unless one is named (which must then be the same).
    const fixture = values.fixture ?? (lane === 'replay' ? undefined : DEFAULT_FIXTURE);
    const onState = (visit: { state: string }) => say(`state ${visit.state}`);
    if (mode === 'validate') {
      const validation = await validateRoute({ lane, from: values.from, fixture, signal: abort.signal, onState }).catch(asUsageError);
      if (values.json) printData(JSON.stringify(validation, null, 2));
      const { blocked, status } = validation;
      say(blocked ? `${verdictWord(process.stderr, 'blocked')}: ${blocked.reason}: ${blocked.detail}` : status === 'ready' ? `${verdictWord(process.stderr, status)}: every pre-start gate passed; Case was not started` : verdictWord(process.stderr, status));
      return blocked ? EXIT.blocked : status === 'ready' ? EXIT.pass : EXIT.aborted;
    }
    const run = await createRouteActor(
      {
        lane,
        from: values.from,
        mode,
        isolation,
        fixture,
        outDir: values.out ?? DEFAULT_OUT_DIR,
        timeoutMs,
        keepWorkspace: Boolean(values['keep-workspace']),
        transcript: !values['no-transcript'],
        signal: abort.signal,
        onState,
      },
      inspector?.inspect,
    ).catch(asUsageError);
    run.actor.start();
    const result = await run.done;
    if (!result.report || !result.reportFile) {
      say('the report could not be written');
      return EXIT.fail;
    }
    const { report } = result;
    const reportPath = relative(process.cwd(), result.reportFile);
    // The report as written, and where it was written (relative to the current directory, like
    // every path this command prints).
    if (values.json) printData(JSON.stringify({ report_file: reportPath, ...report }, null, 2));
    say(`${verdictWord(process.stderr, report.status)}: ${report.claim.statement}`);
    for (const line of whyLines(report)) say(line);
    const exposed = report.lanes.filter((l) => l.isolation.mode === 'off').map((l) => l.lane);
    if (exposed.length > 0) say(`not isolated (${exposed.join(', ')} lane): egress and tampering were observed, not prevented`);
    say(`report: ${reportPath}`);
    say(`open: ${reportPath.replace(/report\.json$/, REPORT_HTML)}`);
    return exitCodeFor(report.status);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await inspector?.stop();
  }
}
