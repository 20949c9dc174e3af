import { relative, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createRouteActor, validateRoute } from '../../run/route-api.js';
import { DEFAULT_OUT_DIR, RouteOptionsError } from '../../run/route-options.js';
import { REPORT_HTML } from '../../report/artifact-names.js';
import { BLOCK_FIXES } from '../../gates/fixes.js';
import { blockedLines, explainBlocked } from '../../report/blocked-explanation.js';
import type { Report } from '../../report/report-schema.js';
import { parse, portNumber, positiveSeconds, UsageError } from '../args.js';
import { EXIT, exitCodeFor, exitCodeForValidation } from '../exit-codes.js';
import type { RouteInspector } from '../inspector.js';
import type { RouteWatch } from '../watch.js';
import { takeWatchFlag } from '../watch-flag.js';
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
  // Taken out before parsing (takeWatchFlag); declared so that a near miss is named.
  watch: { type: 'boolean' },
  'watch-delay': { type: 'string' },
} as const;

// Why a run did not pass, the lane's own first error before the reason codes: what went wrong
// in the user's terms, then which rule that broke.
function whyLines(report: Report): string[] {
  const lines: string[] = [];
  if (report.status === 'blocked') lines.push(`reason: ${report.blocked_reason}: ${report.blocked_detail}`);
  const blocked = explainBlocked(report);
  if (blocked) lines.push(...blockedLines(blocked));
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
  const watchFlag = mode === 'run' ? takeWatchFlag(args) : { rest: args, port: undefined };
  const { values } = parse(watchFlag.rest, mode === 'run' ? { ...COMMON, ...RUN_ONLY } : COMMON) as {
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
      'watch-delay'?: string;
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
  const watchDelayMs = positiveSeconds(values['watch-delay'], '--watch-delay');
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let inspector: RouteInspector | undefined;
  let watch: RouteWatch | undefined;
  try {
    const outLabel = [{ path: resolve(values.out ?? DEFAULT_OUT_DIR), label: '<out>' }];
    if (values.inspect || inspectPort !== undefined || inspectDelayMs !== undefined) {
      const { startInspector } = await import('../inspector.js');
      inspector = await startInspector(inspectPort, outLabel);
      say(`inspector: open ${inspector.url} in a browser to watch the run (the page embeds https://stately.ai/inspect)`);
    }
    if (watchFlag.port !== undefined || watchDelayMs !== undefined) {
      const { startWatch } = await import('../watch.js');
      watch = await startWatch(watchFlag.port ?? 0, outLabel);
      say(`watch: open ${watch.url} in a browser to watch the run (served on 127.0.0.1 until the run ends; the page loads nothing else)`);
    }
    // A page connects when it loads: a run shorter than opening it can only be watched from its
    // first state if it waits for the viewer.
    const viewerDelayMs = Math.max(inspectDelayMs ?? 0, watchDelayMs ?? 0);
    if (viewerDelayMs > 0) {
      say(`starting the run in ${viewerDelayMs / 1000} s`);
      const started = await delay(viewerDelayMs, true, { signal: abort.signal }).catch(() => false);
      if (!started) {
        say(`${verdictWord(process.stderr, 'aborted')} before the run started`);
        return EXIT.aborted;
      }
    }
    // Unset: the default fixture, or on the replay lane the recorded run's (a named one must match it).
    const fixture = values.fixture;
    const onState = (visit: { state: string }) => say(`state ${visit.state}`);
    if (mode === 'validate') {
      const validation = await validateRoute({ lane, from: values.from, fixture, signal: abort.signal, onState }).catch(asUsageError);
      if (values.json) printData(JSON.stringify(validation, null, 2));
      const { blocked, status } = validation;
      say(blocked ? `${verdictWord(process.stderr, 'blocked')}: ${blocked.reason}: ${blocked.detail}` : status === 'ready' ? `${verdictWord(process.stderr, status)}: every pre-start gate passed; Case was not started` : verdictWord(process.stderr, status));
      if (blocked) say(`fix: ${BLOCK_FIXES[blocked.reason].fix}`);
      return exitCodeForValidation(status);
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
      inspector || watch
        ? (event) => {
            inspector?.inspect(event);
            watch?.inspect(event);
          }
        : undefined,
    ).catch(asUsageError);
    run.actor.start();
    const result = await run.done;
    if (!result.report || !result.reportFile) {
      watch?.finish(null, [], null);
      say('the report could not be written');
      return EXIT.fail;
    }
    const { report } = result;
    const reportPath = relative(process.cwd(), result.reportFile);
    // The report as written, and where it was written (relative to the current directory, like
    // every path this command prints).
    if (values.json) printData(JSON.stringify({ report_file: reportPath, ...report }, null, 2));
    say(`${verdictWord(process.stderr, report.status)}: ${report.claim.statement}`);
    const why = whyLines(report);
    for (const line of why) say(line);
    // The live view names it as the inspector would, redacted: <out>/<run_id>/report.html.
    watch?.finish(report, why, result.reportFile.replace(/report\.json$/, REPORT_HTML));
    const exposed = report.lanes.filter((l) => l.isolation.mode === 'off').map((l) => l.lane);
    if (exposed.length > 0) say(`not isolated (${exposed.join(', ')} lane): egress and tampering were observed, not prevented`);
    say(`report: ${reportPath}`);
    say(`open: ${reportPath.replace(/report\.json$/, REPORT_HTML)}`);
    return exitCodeFor(report.status);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await inspector?.stop();
    await watch?.stop();
  }
}
