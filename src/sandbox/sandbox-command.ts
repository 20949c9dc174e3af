import { join } from 'node:path';
import { DIST_SRC } from '../paths.js';
import { UNSHARE_FLAGS, type IsolationTools } from './isolation.js';
import { sandboxScript, type SandboxView } from './sandbox-plan.js';

export interface Bridge {
  // The loopback port inside the namespace: the same number the harness listens on outside, so
  // a lane's generated config reads the same with and without isolation.
  readonly port: number;
  readonly socket: string;
}

// The argv that runs `argv` inside fresh namespaces with `view` as its whole filesystem and
// `bridges` as its only way out.
export function sandboxedArgv(tools: IsolationTools, view: SandboxView, fstab: string, bridges: readonly Bridge[], argv: readonly string[]): string[] {
  const init = [process.execPath, join(DIST_SRC, 'sandbox', 'sandbox-init.js'), JSON.stringify({ bridges, argv, cwd: view.cwd })];
  return [tools.unshare, ...UNSHARE_FLAGS, '--', '/bin/sh', '-c', sandboxScript(view, tools, fstab, init), 'case-route-sandbox'];
}
