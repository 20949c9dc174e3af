// Case that dies by a signal partway through its run.
import { runFakeCase } from './lib.mjs';

setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50);
await runFakeCase();
