import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nanoid } from 'nanoid';

// Everything a run creates outside its report directory: temp files, servers, child processes.
// Cleanup runs in reverse order of creation and never throws, so one failed close cannot leave
// the rest behind. The directory is named up front (the redactor labels its path) and created
// only when lanes are prepared, so a run blocked at its early gates never writes to the disk.
export class Workspace {
  private readonly cleanups: Array<() => Promise<void>> = [];
  private created: Promise<string> | undefined;

  private constructor(readonly dir: string, private readonly keep: boolean) {}

  static plan(keep: boolean): Workspace {
    return new Workspace(join(tmpdir(), `case-route-${nanoid(12)}`), keep);
  }

  // As mkdtemp creates it: fails if the name exists, so the directory is only ever ours, and
  // private to the user.
  ensure(): Promise<string> {
    this.created ??= mkdir(this.dir, { mode: 0o700 }).then(() => this.dir);
    return this.created;
  }

  defer(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  async dispose(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      await cleanup().catch(() => undefined);
    }
    const ours = await this.created?.then(
      () => true,
      () => false,
    );
    if (ours && !this.keep) await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
