import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

// Everything a lane's Case sees lives under its root, the only directory the lane may write.
export interface LaneDirs {
  readonly root: string;
  readonly repo: string;
  readonly data: string;
  readonly pi: string;
  readonly home: string;
  readonly xdgConfig: string;
  readonly bin: string;
}

// What the harness keeps for a lane, beside the lane's root and never inside it: the proxies'
// records and the lane's output (evidence), the proxies' sockets (bound read-only into the
// lane's view), the sandbox's new root, and the acceptance check's own copy.
export interface HarnessDirs {
  readonly evidence: string;
  readonly sockets: string;
  readonly stage: string;
  readonly acceptance: string;
}

export async function makeLaneDirs(workspace: string, lane: string): Promise<{ dirs: LaneDirs; harness: HarnessDirs }> {
  const root = join(workspace, 'lanes', lane);
  const dirs: LaneDirs = {
    root,
    repo: join(root, 'repo'),
    data: join(root, 'case-data'),
    pi: join(root, 'pi-agent'),
    home: join(root, 'home'),
    xdgConfig: join(root, 'home', '.config'),
    bin: join(root, 'bin'),
  };
  const harness: HarnessDirs = {
    evidence: join(workspace, 'evidence', lane),
    sockets: join(workspace, 'sockets', lane),
    stage: join(workspace, 'sandbox', lane),
    acceptance: join(workspace, 'acceptance', lane),
  };
  for (const dir of [...Object.values(dirs), harness.evidence, harness.sockets, harness.acceptance]) await mkdir(dir, { recursive: true });
  return { dirs, harness };
}
