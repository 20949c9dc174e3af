import { resolve } from 'node:path';
import { EXIT } from '../cli/exit-codes.js';
import { waitForStopSignal } from '../cli/stop-signal.js';
import { describeKey } from '../evidence/transcript.js';
import { loadRecording, RecordingError, type Recording } from './recording.js';
import { startReplayProvider, type ReplayProvider, type ReplayTiming } from './replay-provider.js';

export interface ReplayCommandArgs {
  readonly runDir: string;
  readonly model?: string;
  readonly port?: number;
  readonly timing: ReplayTiming;
}

// `case-route provider --replay RUN_DIR`: the recorded run's answers, on loopback, until stopped.
// Each refused request is said on stderr as it happens; the last line says how the replay went.
export async function runReplayProviderCommand(args: ReplayCommandArgs): Promise<number> {
  let recording: Recording;
  try {
    recording = await loadRecording(resolve(args.runDir));
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error;
    process.stderr.write(`case-route provider: ${error.message}\n`);
    return EXIT.usage;
  }
  if (args.model !== undefined && args.model !== recording.model) {
    process.stderr.write(`case-route provider: --model ${args.model} is not the recorded model ${recording.model}\n`);
    return EXIT.usage;
  }
  let provider: ReplayProvider;
  try {
    provider = await startReplayProvider({
      recording,
      port: args.port ?? 0,
      timing: args.timing,
      onDivergence: (d) => process.stderr.write(`case-route provider: diverged at request ${d.request} (${describeKey(d)}): ${d.path}: ${d.detail}\n`),
    });
  } catch (error) {
    process.stderr.write(`case-route provider: cannot listen: ${(error as NodeJS.ErrnoException).code ?? 'error'}\n`);
    return EXIT.fail;
  }
  const stopped = waitForStopSignal();
  process.stdout.write(`${JSON.stringify({ url: provider.url, model: recording.model, replay: recording.runId, exchanges: recording.exchanges.length })}\n`);
  await stopped;
  await provider.close();
  const left = provider.unserved().length;
  process.stderr.write(`case-route provider: replayed ${recording.exchanges.length - left} of ${recording.exchanges.length} recorded exchange(s); ${provider.divergences().length} request(s) diverged\n`);
  return EXIT.pass;
}
