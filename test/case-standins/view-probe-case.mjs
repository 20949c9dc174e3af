// Looks around the machine from inside the lane and prints what it could do: write into the
// harness's checkout, see the run directory and the harness's home, see any host process. Then it
// runs like Case. Its argument: the run directories' folder and the harness's home, as base64 of a
// JSON list (a path named in the Case command would be kept in the lane's view as one it needs).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFakeCase } from './lib.mjs';

const [outDir, home] = JSON.parse(Buffer.from(process.argv[2], 'base64').toString('utf8'));
const attempt = (label, action) => {
  try {
    action();
    console.log(`view: ${label}: yes`);
  } catch (error) {
    console.log(`view: ${label}: no (${error.code})`);
  }
};
attempt('write the checkout', () => writeFileSync(fileURLToPath(new URL('./planted.mjs', import.meta.url)), 'x'));
attempt('list the run directories', () => {
  if (readdirSync(outDir).length === 0) throw Object.assign(new Error('empty'), { code: 'EMPTY' });
});
attempt("list the harness's home", () => {
  if (readdirSync(home).length === 0) throw Object.assign(new Error('empty'), { code: 'EMPTY' });
});
attempt("list the harness's evidence", () => readdirSync(join(process.cwd(), '..', '..', '..', 'evidence')));
console.log(`view: processes ${readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length}`);
await runFakeCase();
