// Case that was handed a credential (on its command line, as echo-secret-case is) and names a
// phase and its agent after it in its own event log, then behaves: the names reach the report's
// timeline and Requests section, which cut each name to a short word.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterCase, runFakeCase } from './lib.mjs';

const secret = process.argv[2];
process.argv.splice(2, 1);
afterCase(() => {
  const dir = join(process.cwd(), '.case', 'sum-bug-stage2', 'events');
  const [file] = readdirSync(dir);
  const ts = new Date().toISOString();
  appendFileSync(join(dir, file), `${JSON.stringify({ event: 'phase_start', phase: secret, agent: secret, ts })}\n${JSON.stringify({ event: 'phase_end', phase: secret, outcome: 'completed', ts })}\n`);
});
await runFakeCase();
