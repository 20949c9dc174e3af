// Leaves processes behind in every way it can: a detached child, a double fork and a `setsid`
// child, each living forever, each carrying the marker given as the first argument so that the
// test can look for it among the host's processes. Then it runs like Case.
import { spawn } from 'node:child_process';
import { runFakeCase } from './lib.mjs';

const marker = process.argv[2];
const forever = `setInterval(() => {}, 1000); process.on('SIGTERM', () => {}); // ${marker}`;
spawn(process.execPath, ['-e', forever], { detached: true, stdio: 'ignore' }).unref();
spawn(process.execPath, ['-e', `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(forever)}], { detached: true, stdio: 'ignore' }).unref()`], { stdio: 'ignore' }).unref();
spawn('setsid', [process.execPath, '-e', forever], { detached: true, stdio: 'ignore' }).unref();
await runFakeCase();
