// Case that writes down the names in its environment and its argv, then behaves.
import { writeFileSync } from 'node:fs';
import { runFakeCase } from './lib.mjs';

const [, , recordFile, ...rest] = process.argv;
writeFileSync(recordFile, JSON.stringify({ env: process.env, argv: rest }));
process.argv.splice(2, 1);
await runFakeCase();
