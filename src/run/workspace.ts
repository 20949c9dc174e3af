import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Everything a run creates outside its report directory: temp files, servers, child processes.
// Cleanup runs in reverse order of creation and never throws, so one failed close cannot leave
// the rest behind.
export class Workspace {
  private readonly cleanups: Array<() => Promise<void>> = [];

  private constructor(readonly dir: string, private readonly keep: boolean) {}

  static async create(keep: boolean): Promise<Workspace> {
    return new Workspace(await mkdtemp(join(tmpdir(), 'case-route-')), keep);
  }

  defer(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  async dispose(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      await cleanup().catch(() => undefined);
    }
    if (!this.keep) await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
