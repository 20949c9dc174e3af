// Case whose implementer gives up, recorded as WorkOS Case records it: a phase_end event carrying
// the agent's result and error, pipeline_end failed, "Pipeline failed at implementer phase." on
// stdout, and exit 0.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

const task = JSON.parse(readFileSync(process.argv[process.argv.indexOf('--task') + 1], 'utf8'));
const events = join('.case', task.id, 'events');
mkdirSync(events, { recursive: true });
const runId = randomUUID();
let sequence = 0;
const event = (fields) => appendFileSync(join(events, `run-${runId}.jsonl`), `${JSON.stringify({ ...fields, ts: new Date().toISOString(), sequence: sequence++, runId })}\n`);
const error = 'tests still fail after 3 attempts: expected 5, got -1';
event({ event: 'pipeline_start', taskId: task.id, profile: 'tiny' });
event({ event: 'phase_start', phase: 'implement', agent: 'implementer' });
process.stdout.write('[unattended] [implement] starting implementer...\n');
event({ event: 'phase_end', phase: 'implement', agent: 'implementer', outcome: 'failed', durationMs: 12, result: { status: 'failed', summary: 'could not fix sum()', error } });
process.stdout.write('[unattended] [implement] implementer FAILED (0s)\n[unattended] Auto-selecting: Abort\n');
event({ event: 'pipeline_end', outcome: 'failed', failedAgent: 'implementer', durationMs: 20 });
process.stdout.write('[unattended] Pipeline failed at implementer phase.\n');
