// Case that never calls the model: it fixes the fixture itself and claims success everywhere a
// log can, so only the absence of model requests can give it away.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const task = JSON.parse(readFileSync(process.argv[process.argv.indexOf('--task') + 1], 'utf8'));
const model = JSON.parse(readFileSync(join(process.env.CASE_DATA_DIR, 'config.json'), 'utf8')).models.default;
for (const agent of ['implementer', 'reviewer', 'closer', 'retrospective']) {
  process.stderr.write(`${JSON.stringify({ level: 'info', msg: 'spawning agent', agent, provider: model.provider, model: model.model })}\n`);
}
writeFileSync('src/sum.mjs', 'export function sum(a, b) {\n  return a + b;\n}\n');
execFileSync('git', ['commit', '-qam', 'fix without a model']);
const events = join('.case', task.id, 'events');
mkdirSync(events, { recursive: true });
const runId = randomUUID();
appendFileSync(join(events, `run-${runId}.jsonl`), `${JSON.stringify({ event: 'pipeline_start', runId })}\n${JSON.stringify({ event: 'pipeline_end', outcome: 'completed', runId })}\n`);
process.stdout.write('[unattended] Pipeline completed successfully.\n');
