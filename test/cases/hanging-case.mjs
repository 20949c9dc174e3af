// Case that hangs, ignoring SIGTERM, with a grandchild that ignores SIGTERM too. Both pids are
// written to the file named by its first argument.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const grandchild = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
writeFileSync(process.argv[2], JSON.stringify({ case: process.pid, grandchild: grandchild.pid }));
process.on('SIGTERM', () => {});
setInterval(() => {}, 1000);
