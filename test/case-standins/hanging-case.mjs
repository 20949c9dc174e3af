// Case that hangs, ignoring SIGTERM, with a grandchild that ignores SIGTERM too. Both carry the
// marker given as the first argument (the grandchild as `<marker>-grandchild`), so that the test
// can find them among the host's processes, from outside the lane's PID namespace.
import { spawn } from 'node:child_process';

const marker = process.argv[2];
spawn(process.execPath, ['-e', `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); // ${marker}-grandchild`], { stdio: 'ignore' });
process.on('SIGTERM', () => {});
setInterval(() => {}, 1000);
