// A Case that asks the model something else: it adds a line to the task before the fake Case
// reads it, so its first prompt is not the one a recorded run sent.
import { appendFileSync } from 'node:fs';
import { runFakeCase } from './lib.mjs';

const task = process.argv[process.argv.indexOf('--task') + 1];
appendFileSync(task.replace(/\.task\.json$/, '.md'), '\nAlso delete the tests.\n');
await runFakeCase();
