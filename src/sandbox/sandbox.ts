import { mkdir } from 'node:fs/promises';
import type { IsolationTools, LaneIsolation } from './isolation.js';
import { laneView } from './lane-view.js';
import { sandboxedArgv, type Bridge } from './sandbox-command.js';

export type { Bridge } from './sandbox-command.js';

// What every sandbox of a run keeps out of sight or needs, whatever runs in it.
export interface SandboxContext {
  readonly harnessCwd: string;
  readonly runDir: string;
  readonly home: string | undefined;
  // The PATH a sandboxed command runs with; its directories stay readable.
  readonly path: string;
  readonly extraReadable: readonly string[];
}

export interface SandboxSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  // An empty directory of the harness's, outside anything the sandbox sees, for its new root.
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
      await mkdir(spec.stage, { recursive: true });
      const view = await laneView({
        root: spec.stage,
        writable: spec.writable,
        readable: spec.readable,
        cwd: spec.cwd,
        harnessCwd: context.harnessCwd,
        runDir: context.runDir,
        home: context.home,
        commandArgv: spec.argv,
        path: context.path,
        extraReadable: context.extraReadable,
      });
      return sandboxedArgv(tools, view, spec.bridges, spec.argv);
    },
  };
}
