// Case whose config.json disappears after its first agent has spawned: later agents fall back.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import { FAKE_CASE } from './lib.mjs';

const child = spawn(process.execPath, [FAKE_CASE, ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'pipe'] });
let deleted = false;
createInterface({ input: child.stderr }).on('line', (line) => {
  process.stderr.write(`${line}\n`);
  if (!deleted && line.includes('spawning agent')) {
    deleted = true;
    rmSync(join(process.env.CASE_DATA_DIR, 'config.json'), { force: true });
  }
});
child.on('exit', (code) => process.exit(code ?? 1));
