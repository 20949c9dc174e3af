// Case with no config.json: it falls back to anthropic/claude-sonnet-4-6 without a word.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runFakeCase } from './lib.mjs';

rmSync(join(process.env.CASE_DATA_DIR, 'config.json'), { force: true });
await runFakeCase();
