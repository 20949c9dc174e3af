import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IsolationTools, LaneIsolation } from './isolation.js';
import { laneView } from './lane-view.js';
import { sandboxedArgv, type Bridge } from './sandbox-command.js';
import { sandboxFstab, type SandboxView } from './sandbox-plan.js';

export type { Bridge } from './sandbox-command.js';

// What every sandbox of a run keeps out of sight or needs, whatever runs in it.
export interface SandboxContext {
  readonly harnessCwd: string;
  readonly runDir: string;
  readonly home: string | undefined;
  // The PATH a sandboxed command runs with; its directories stay readable.
  readonly path: string;
  readonly extraReadable: readonly string[];
  // Never shown to a sandbox, whatever else it is shown: the workspace, the home.
  readonly protect: readonly string[];
}

export interface SandboxSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  // A directory of the harness's, outside anything the sandbox sees: the new root's mount point,
  // the template of its /dev and its fstab are made there.
  readonly stage: string;
  readonly writable: readonly string[];
  readonly readable: readonly string[];
  readonly bridges: readonly Bridge[];
}

export interface Sandbox {
  readonly isolation: LaneIsolation;
  // The argv to start instead of spec.argv; without isolation, spec.argv itself.
  wrap(spec: SandboxSpec): Promise<readonly string[]>;
}

export function createSandbox(tools: IsolationTools | undefined, context: SandboxContext): Sandbox {
  if (!tools) {
    return {
      isolation: { mode: 'off', detail: 'not isolated: egress and tampering are observed, not prevented' },
      wrap: async (spec) => spec.argv,
    };
  }
  return {
    isolation: { mode: 'namespaces', detail: 'own user, mount, PID and network namespaces; loopback only; only its workspace writable' },
    async wrap(spec) {
      const root = join(spec.stage, 'root');
      await mkdir(root, { recursive: true });
      const view = await laneView({
        root,
        writable: spec.writable,
        // A bridge needs its socket in sight.
        readable: [...spec.readable, ...spec.bridges.map((b) => dirname(b.socket))],
        cwd: spec.cwd,
        harnessCwd: context.harnessCwd,
        runDir: context.runDir,
        home: context.home,
        commandArgv: spec.argv,
        path: context.path,
        extraReadable: context.extraReadable,
        protect: context.protect,
      });
      const dev = await makeDevTemplate(join(spec.stage, 'dev'), view);
      const fstab = join(spec.stage, 'fstab');
      await writeFile(fstab, sandboxFstab(view, dev));
      return sandboxedArgv(tools, view, fstab, spec.bridges, spec.argv);
    },
  };
}

// What the lane's /dev holds before the devices are bound over its empty files.
async function makeDevTemplate(dir: string, view: SandboxView): Promise<string> {
  await mkdir(join(dir, 'shm'), { recursive: true });
  await mkdir(join(dir, 'pts'), { recursive: true });
  await Promise.all(view.devices.map((d) => writeFile(join(dir, d), '')));
  const links: Array<[string, string]> = [['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'], ['stderr', '/proc/self/fd/2']];
  await Promise.all(links.map(([name, target]) => symlink(target, join(dir, name))));
  return dir;
}
