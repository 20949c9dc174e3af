import type { Redactor } from '../evidence/redact.js';
import type { LanesOutcome } from './lane-types.js';
import type { PreparedLane } from './prepare-lanes.js';
import { runLane } from './run-lane.js';

export interface SuperviseOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly redactor: Redactor;
  readonly artifactsDir: string;
  readonly harnessPath: string;
}

// One supervisor for every lane of a run: the real lane and its fake baseline run side by side,
// each with its own timeout, and one abort reaches both.
export async function superviseLanes(lanes: readonly PreparedLane[], options: SuperviseOptions): Promise<LanesOutcome> {
  const results = await Promise.allSettled(lanes.map((lane) => runLane(lane, options)));
  const evidence = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const errors = results.flatMap((result) => (result.status === 'rejected' ? [String((result.reason as Error)?.message ?? result.reason)] : []));
  return errors.length > 0 ? { lanes: evidence, error: errors.join('; ') } : { lanes: evidence };
}
