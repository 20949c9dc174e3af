import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { SandboxTools } from './sandbox-plan.js';

export const ISOLATION_MODES = ['required', 'auto', 'off'] as const;
export type IsolationMode = (typeof ISOLATION_MODES)[number];

// What a lane ran under, as the report records it.
export interface LaneIsolation {
  readonly mode: 'namespaces' | 'off';
  readonly detail: string;
}

export interface IsolationTools extends SandboxTools {
  readonly unshare: string;
}

export type IsolationProbe = { ok: true; tools: IsolationTools; detail: string } | { ok: false; detail: string };

// ip and pivot_root live in sbin, which an ordinary user's PATH often lacks.
const SYSTEM_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

export async function findTool(name: string, path: string): Promise<string | undefined> {
  for (const dir of [...path.split(delimiter).filter((d) => d.startsWith('/')), ...SYSTEM_DIRS]) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

export const UNSHARE_FLAGS = ['--user', '--map-root-user', '--mount', '--pid', '--net', '--ipc', '--uts', '--fork', '--kill-child', '--propagation', 'private'];

let probed: Promise<IsolationProbe> | undefined;

// Linux namespaces through util-linux and iproute2: present on every mainstream distribution and
// usable without privileges where unprivileged user namespaces are enabled. Asked once per process:
// the tools exist, and a namespace with its own loopback can really be made.
export function probeIsolation(path: string): Promise<IsolationProbe> {
  probed ??= (async (): Promise<IsolationProbe> => {
    if (process.platform !== 'linux') return { ok: false, detail: `Linux namespaces are not available on ${process.platform}` };
    const names = ['unshare', 'setpriv', 'mount', 'umount', 'pivot_root', 'ip'] as const;
    const found = await Promise.all(names.map((name) => findTool(name, path)));
    const missing = names.filter((_, i) => found[i] === undefined);
    if (missing.length > 0) return { ok: false, detail: `${missing.join(', ')} not found (util-linux and iproute2 are needed)` };
    const [unshare, setpriv, mount, umount, pivotRoot, ip] = found as string[];
    const tools = { unshare: unshare!, setpriv: setpriv!, mount: mount!, umount: umount!, pivotRoot: pivotRoot!, ip: ip! };
    const trial = await execa(tools.unshare, [...UNSHARE_FLAGS, '--', tools.ip, 'link', 'set', 'lo', 'up'], {
      reject: false,
      stdin: 'ignore',
      timeout: 5000,
      env: {},
      extendEnv: false,
    });
    if (trial.exitCode !== 0) {
      const why = String(trial.stderr).split('\n')[0]?.replace(/^unshare: /, '') || `exit ${trial.exitCode}`;
      return { ok: false, detail: `cannot create user, mount, PID and network namespaces (${why})` };
    }
    return { ok: true, tools, detail: 'user, mount, PID, network, IPC and UTS namespaces' };
  })();
  return probed;
}
