import { existsSync } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import type { SandboxView } from './sandbox-plan.js';

export interface LaneViewArgs {
  readonly root: string;
  readonly writable: readonly string[];
  // Also visible read-only: the lane's proxy sockets, a pristine check.
  readonly readable: readonly string[];
  readonly cwd: string;
  // The harness's current directory and run directory: never shown to a lane.
  readonly harnessCwd: string;
  readonly runDir: string;
  readonly home: string | undefined;
  // What the lane's command needs: its argv and the PATH it runs with.
  readonly commandArgv: readonly string[];
  readonly path: string;
  // CTO_HARNESS_CASE_SANDBOX_READ: more paths a Case installation needs, read-only.
  readonly extraReadable: readonly string[];
  // Never shown, even where a path of the lists above would contain it: the run's workspace (the
  // harness's evidence), the harness's home.
  readonly protect: readonly string[];
}

async function real(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

async function reals(paths: readonly string[]): Promise<string[]> {
  return (await Promise.all(paths.map(real))).filter((p): p is string => p !== undefined);
}

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

const MARKERS = ['package.json', '.git', 'node_modules', 'bunfig.toml'];

// The smallest directory that is plausibly a whole installation: the nearest ancestor holding a
// package manifest or a checkout, stopping below the places that are hidden as a whole.
function installationRoot(file: string, stopAt: readonly string[]): string {
  let dir = dirname(file);
  for (let probe = dir; ; probe = dirname(probe)) {
    if (stopAt.includes(probe) || probe === dirname(probe)) return dir;
    if (MARKERS.some((m) => existsSync(join(probe, m)))) return probe;
  }
}

// A wrapper script names what it starts by absolute path (`exec /x/bun /x/case/src/index.ts`):
// those paths are needed too.
async function pathsNamedInScript(file: string): Promise<string[]> {
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      if (!text.startsWith('#!')) return [];
      return [...text.matchAll(/\/[^\s'"`;|&<>()$]+/g)].map((m) => m[0]).filter((p) => existsSync(p));
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

// The view of the machine a lane gets: the host's tree read-only; homes, the harness's directory,
// the run directory and host sockets hidden; fresh /tmp; its own workspace writable; and back,
// read-only, whatever its command needs wherever it lives (a Case checkout in a home or under the
// temp directory, Bun, Node, this package for the fake Case and the gh stand-in).
export async function laneView(args: LaneViewArgs): Promise<SandboxView> {
  const hidden = await reals(['/home', '/root', '/run', '/mnt', '/media', '/srv', ...(args.home ? [args.home] : []), args.runDir, ...(args.harnessCwd === '/' ? [] : [args.harnessCwd])]);
  const scratch = await reals([tmpdir(), '/tmp', '/var/tmp', '/dev/shm']);
  const stopAt = [...hidden, ...scratch, '/'];
  // Each path as written and as resolved: a symlink (node_modules/.bin/bun) must stay reachable
  // where it is named, and its target where it lives.
  const written = args.commandArgv.filter((word) => isAbsolute(word) && existsSync(word));
  const named = (await Promise.all(written.map(pathsNamedInScript))).flat();
  const needed = [...written, ...named, ...(await reals([...written, ...named]))];
  const roots = await Promise.all(needed.map(async (p) => ((await isFile(p)) ? installationRoot(p, stopAt) : p)));
  const nodePrefix = dirname(dirname(await realpath(process.execPath)));
  const enclosingModules = PROJECT_ROOT.split('/node_modules/').length > 1 ? `${PROJECT_ROOT.split('/node_modules/')[0]}/node_modules` : undefined;
  const protect = await reals(args.protect);
  const showsProtected = (path: string) => protect.some((p) => p === path || p.startsWith(path === '/' ? '/' : `${path}/`));
  const wanted = await reals([
    PROJECT_ROOT,
    ...(enclosingModules ? [enclosingModules] : []),
    nodePrefix,
    ...roots,
    ...args.path.split(delimiter).filter((d) => isAbsolute(d)),
    ...args.extraReadable,
    ...args.readable,
  ]);
  // A PATH of `/`, `/tmp` or `~` would otherwise bring back all that is hidden.
  const readable = wanted.filter((path) => !showsProtected(path));
  return {
    root: await realpath(args.root),
    writable: await reals(args.writable),
    readable,
    hidden,
    scratch,
    devices: DEVICES.filter((d) => existsSync(`/dev/${d}`)),
    cwd: args.cwd,
  };
}
