import { execa, type ResultPromise } from 'execa';

export interface TreeRunResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface TreeRunOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly graceMs?: number;
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

// Runs a lane in a process group of its own, so a timeout or an abort reaches every process Case
// started (agents' bash tools, grandchildren that ignore SIGTERM), not just the direct child; and
// whatever is left in the group when the lane ends is killed too.
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
    stdin: 'ignore',
    detached: true,
    cleanup: true,
    maxBuffer: 64 * 1024 * 1024,
  });
  let timedOut = false;
  let aborted = false;
  let forceTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    signalGroup(child.pid, 'SIGTERM');
    forceTimer ??= setTimeout(() => signalGroup(child.pid, 'SIGKILL'), grace);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    stop();
  };
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await child;
    return {
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      timedOut,
      aborted,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      durationMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    clearTimeout(forceTimer);
    options.signal.removeEventListener('abort', onAbort);
    signalGroup(child.pid, 'SIGKILL');
  }
}
