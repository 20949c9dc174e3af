import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { execa, type ResultPromise } from 'execa';

import type { TreeRunResult } from './lane-types.js';

export type { TreeRunResult } from './lane-types.js';

export type OutputStream = 'stdout' | 'stderr';

export interface TreeRunOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  // None: the caller ends the tree through `signal` (a lane's deadline is its supervisor's).
  readonly timeoutMs?: number;
  readonly signal: AbortSignal;
  // stdout and stderr go to these files as they come, never more than maxBytes each.
  readonly output: { readonly stdout: string; readonly stderr: string; readonly maxBytes: number };
  // Called once the process is spawned, and with each whole line of what is kept, as it comes.
  readonly onStart?: () => void;
  readonly onLine?: (stream: OutputStream, line: string) => void;
  // The command is a sandbox whose first process reports the lane's exit on fd 3.
  readonly statusFd?: boolean;
  // Written to the command's stdin; without it, stdin is closed.
  readonly input?: Uint8Array;
  readonly graceMs?: number;
}

function readStatus(text: string): { code: number | null; signal: NodeJS.Signals | null } | undefined {
  try {
    const status = JSON.parse(text) as { code?: unknown; signal?: unknown };
    return { code: typeof status.code === 'number' ? status.code : null, signal: typeof status.signal === 'string' ? (status.signal as NodeJS.Signals) : null };
  } catch {
    return undefined;
  }
}

// How long output may still drain after the tree is gone: a process outside the group that kept
// the pipe open (possible only without isolation) must not stall the harness.
const DRAIN_MS = 1000;

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

// Whole lines of what is kept, for watching a lane as it runs; a line longer than the limit is
// not offered (the files on disk stay the evidence).
const MAX_WATCHED_LINE = 64 * 1024;

function lineSplitter(onLine: (line: string) => void): (part: Buffer) => void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  // Set while the rest of an overlong line goes by, so its tail is never offered as a line.
  let skipping = false;
  return (part) => {
    const lines = (pending + decoder.write(part)).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!skipping && line.length <= MAX_WATCHED_LINE) onLine(line);
      skipping = false;
    }
    if (pending.length > MAX_WATCHED_LINE) {
      pending = '';
      skipping = true;
    }
  };
}

async function capture(source: Readable | null, file: string, maxBytes: number, onCap: () => void, onLine?: (line: string) => void): Promise<void> {
  const sink = createWriteStream(file, { flags: 'wx' });
  let written = 0;
  const watch = onLine ? lineSplitter(onLine) : undefined;
  if (source) {
    source.on('data', (chunk: Buffer) => {
      if (written >= maxBytes) return;
      const room = maxBytes - written;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      written += part.length;
      watch?.(part);
      if (!sink.write(part)) {
        source.pause();
        sink.once('drain', () => source.resume());
      }
      if (chunk.length > room) onCap();
    });
    await Promise.race([once(source, 'close').catch(() => undefined), once(source, 'end').catch(() => undefined)]);
  }
  sink.end();
  await once(sink, 'close');
}

// Runs a lane in a process group of its own, so a timeout or an abort reaches every process Case
// started (agents' bash tools, grandchildren that ignore SIGTERM), not just the direct child; and
// whatever is left in the group when the lane ends is killed too. Inside a sandbox the lane's PID
// namespace goes with its first process, daemons and double forks included.
export async function runProcessTree(argv: readonly string[], options: TreeRunOptions): Promise<TreeRunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runProcessTree: empty argv');
  const started = Date.now();
  const grace = options.graceMs ?? 2000;
  const child: ResultPromise = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(options.statusFd ? (['pipe'] as const) : [])],
    detached: true,
    cleanup: true,
    buffer: false,
  });
  if (options.onStart) child.once('spawn', options.onStart);
  if (options.input) {
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input);
  }
  let statusText = '';
  (child.stdio[3] as Readable | undefined)?.on('data', (chunk: Buffer) => {
    if (statusText.length < 256) statusText += chunk.toString('utf8');
  });
  let timedOut = false;
  let aborted = false;
  let truncated = false;
  let forceTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    signalGroup(child.pid, 'SIGTERM');
    forceTimer ??= setTimeout(() => signalGroup(child.pid, 'SIGKILL'), grace);
  };
  const onCap = () => {
    if (truncated) return;
    truncated = true;
    signalGroup(child.pid, 'SIGKILL');
  };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    stop();
  };
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });
  const { maxBytes } = options.output;
  const { onLine } = options;
  const outputs = Promise.all([
    capture(child.stdout, options.output.stdout, maxBytes, onCap, onLine && ((line) => onLine('stdout', line))),
    capture(child.stderr, options.output.stderr, maxBytes, onCap, onLine && ((line) => onLine('stderr', line))),
  ]);
  try {
    const [code, signalled] = (await once(child, 'exit').catch(() => [null, null])) as [number | null, NodeJS.Signals | null];
    signalGroup(child.pid, 'SIGKILL');
    const drained = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, DRAIN_MS);
    await outputs;
    clearTimeout(drained);
    await child;
    const reported = options.statusFd ? readStatus(statusText) : undefined;
    const [exitCode, signal] = reported ? [reported.code, reported.signal] : [code, signalled];
    return { exitCode, signal, timedOut, aborted, truncated, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
    clearTimeout(forceTimer);
    options.signal.removeEventListener('abort', onAbort);
    signalGroup(child.pid, 'SIGKILL');
  }
}
