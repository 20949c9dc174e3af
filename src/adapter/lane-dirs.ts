import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

// Everything a lane's Case sees lives under one directory of the run's temp workspace.
export interface LaneDirs {
  readonly root: string;
  readonly repo: string;
  readonly data: string;
  readonly pi: string;
  readonly home: string;
  readonly xdgConfig: string;
  readonly bin: string;
  readonly logs: string;
}

export async function makeLaneDirs(root: string): Promise<LaneDirs> {
  const dirs: LaneDirs = {
    root,
    repo: join(root, 'repo'),
    data: join(root, 'case-data'),
    pi: join(root, 'pi-agent'),
    home: join(root, 'home'),
    xdgConfig: join(root, 'home', '.config'),
    bin: join(root, 'bin'),
    logs: join(root, 'logs'),
  };
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  return dirs;
}
