// Case that changes nothing and says its pipeline completed: only the harness's own acceptance
// check can tell, and what it printed is what the person running the route needs to see.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

const task = JSON.parse(readFileSync(process.argv[process.argv.indexOf('--task') + 1], 'utf8'));
const events = join('.case', task.id, 'events');
mkdirSync(events, { recursive: true });
const runId = randomUUID();
appendFileSync(join(events, `run-${runId}.jsonl`), `${JSON.stringify({ event: 'pipeline_start', runId })}\n${JSON.stringify({ event: 'pipeline_end', outcome: 'completed', runId })}\n`);
process.stdout.write('[unattended] Pipeline completed successfully.\n');
