#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { relative } from 'node:path';
import { createRouteActor, RouteSetupError } from '../run/run-route.js';
import { DEFAULT_FIXTURE, DEFAULT_OUT_DIR } from '../run/route-options.js';
import { runProviderCommand } from '../provider/scripted-provider-main.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { HELP, VERSION } from './help.js';

class UsageError extends Error {}

function parse<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function say(line: string): void {
  process.stderr.write(`case-route: ${line}\n`);
}

function positiveSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`${flag} takes a positive number of seconds, not "${value}"`);
  return Math.round(seconds * 1000);
}

async function runCommand(args: string[], mode: 'run' | 'validate'): Promise<number> {
  const { values } = parse(args, {
    lane: { type: 'string' },
    fixture: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    timeout: { type: 'string' },
    'keep-workspace': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(HELP[mode]);
    return EXIT.pass;
  }
  const lane = values.lane ?? 'fake';
  if (lane !== 'fake' && lane !== 'real') throw new UsageError(`--lane is fake or real, not "${lane}"`);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const run = await createRouteActor({
      lane,
      mode,
      fixture: values.fixture ?? DEFAULT_FIXTURE,
      outDir: values.out ?? DEFAULT_OUT_DIR,
      timeoutMs: positiveSeconds(values.timeout as string | undefined, '--timeout'),
      keepWorkspace: Boolean(values['keep-workspace']),
      signal: abort.signal,
      onState: (visit) => say(`state ${visit.state}`),
    });
    run.actor.start();
    const result = await run.done;
    if (mode === 'validate') {
      const blocked = result.context.blocked;
      const outcome = { status: blocked ? 'blocked' : result.finalState === 'validated' ? 'ready' : 'aborted', blocked_reason: blocked?.reason ?? null, blocked_detail: blocked?.detail ?? null };
      if (values.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
      say(blocked ? `blocked: ${blocked.reason}: ${blocked.detail}` : `${outcome.status}: every pre-start gate passed; Case was not started`);
      return blocked ? EXIT.blocked : outcome.status === 'ready' ? EXIT.pass : EXIT.aborted;
    }
    if (!result.report || !result.reportFile) {
      say('the report could not be written');
      return EXIT.fail;
    }
    const { report } = result;
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const why = report.status === 'blocked' ? `: ${report.blocked_reason}: ${report.blocked_detail}` : report.status === 'fail' ? `: ${report.fail_reasons.map((f) => f.reason).join(', ')}` : '';
    say(`${report.status}${why}`);
    say(`report: ${relative(process.cwd(), result.reportFile)}`);
    return exitCodeFor(report.status);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function providerCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { model: { type: 'string' }, port: { type: 'string' }, script: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP.provider);
    return EXIT.pass;
  }
  if (!values.model) throw new UsageError('provider needs --model ID');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port takes a port number, not "${values.port}"`);
  return runProviderCommand({ model: values.model as string, port, scriptFile: values.script as string | undefined });
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  run: (args) => runCommand(args, 'run'),
  validate: (args) => runCommand(args, 'validate'),
  provider: providerCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const debug = rest.includes('--debug');
  const args = rest.filter((arg) => arg !== '--debug');
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.pass;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP.main);
    return command === undefined ? EXIT.usage : EXIT.pass;
  }
  const handler = COMMANDS[command];
  try {
    if (!handler) throw new UsageError(`unknown command "${command}"`);
    return await handler(args);
  } catch (error) {
    if (error instanceof UsageError) {
      say(`${error.message} (see case-route --help)`);
      return EXIT.usage;
    }
    if (error instanceof RouteSetupError) {
      say(error.message);
      return EXIT.fail;
    }
    say(debug ? String((error as Error).stack ?? error) : `error: ${(error as Error).message}`);
    return EXIT.fail;
  }
}

process.exitCode = await main(process.argv.slice(2));
