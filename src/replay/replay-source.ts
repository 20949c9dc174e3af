import { resolve } from 'node:path';
import { createRedactor, type PathLabel } from '../evidence/redact.js';
import { loadRecording, RecordingError, type Recording } from './recording.js';
import type { Environment } from '../inputs/env-config.js';
import type { ReplayFacts } from './replay-facts.js';
import { startReplayProvider, type ReplayProvider } from './replay-provider.js';

export interface ReplaySource {
  readonly recording: Recording;
  // The run's environment with the replay provider as its local server: the replay lane needs no
  // model server of its own, and no key for one.
  env(env: Environment): Environment;
  facts(): ReplayFacts;
  close(): Promise<void>;
}

export class ReplaySourceError extends Error {
  override readonly name = 'ReplaySourceError';
}

// The replay lane's model server: the recorded run's transcript served in-process for the length
// of the run. Live requests are compared after the run's own labels and secrets are applied to
// them, as the recording's were when it became an artifact.
export async function startReplaySource(from: string, cwd: string, secrets: readonly string[], labels: readonly PathLabel[]): Promise<ReplaySource> {
  let recording: Recording;
  try {
    recording = await loadRecording(resolve(cwd, from));
  } catch (error) {
    if (error instanceof RecordingError) throw new ReplaySourceError(`option from: ${error.message}`);
    throw error;
  }
  const comparer = createRedactor(secrets, labels);
  const provider: ReplayProvider = await startReplayProvider({ recording, redact: (text) => comparer.redact(text) });
  const order = new Map(recording.exchanges.map((exchange, index) => [exchange, index + 1]));
  return {
    recording,
    env: (env) => ({ ...env, CTO_HARNESS_CASE_LOCAL_BASE_URL: `${provider.url}/v1`, CTO_HARNESS_CASE_LOCAL_API_KEY: undefined }),
    facts: () => ({
      from_run_id: recording.runId,
      recorded: { lane: recording.lane, stage2_passed: recording.stage2Passed, agents: recording.agents, requests: recording.requests },
      divergences: provider.divergences(),
      not_made: provider.unserved().map((exchange) => ({ request: order.get(exchange) ?? 0, agent: exchange.agent, turn: exchange.turn })),
    }),
    close: () => provider.close(),
  };
}
