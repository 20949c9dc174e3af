// Runs like Case, then turns its event log into something a reader must not trust: a FIFO that
// would block an open, a symlink out of the lane, or a file far past the cap.
import { appendFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterCase, runFakeCase } from './lib.mjs';

const kind = process.argv[2];
afterCase(() => {
  const dir = join(process.cwd(), '.case', 'sum-bug-stage2', 'events');
  const [file] = readdirSync(dir);
  const path = join(dir, file);
  if (kind === 'huge') {
    const line = `${JSON.stringify({ event: 'tool_end', pad: 'x'.repeat(1000) })}\n`;
    for (let i = 0; i < 20; i += 1) appendFileSync(path, line.repeat(1024));
    return;
  }
  rmSync(path);
  if (kind === 'fifo') execFileSync('mkfifo', [path]);
  else symlinkSync('/etc/passwd', path);
});
await runFakeCase();
