// Case that writes down its environment and its argv beside its workspace (where a test that
// keeps the workspace finds it, unredacted), then behaves.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFakeCase } from './lib.mjs';

writeFileSync(join(process.cwd(), '..', 'case-record.json'), JSON.stringify({ env: process.env, argv: process.argv.slice(2) }));
await runFakeCase();
