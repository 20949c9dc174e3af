import { resolve } from 'node:path';
import { describeKey } from '../evidence/transcript.js';
import { loadRecording, RecordingError, type Recording } from './recording.js';
import { startReplayProvider, type ReplayProvider, type ReplayTiming } from './replay-provider.js';

export interface ReplayCommandArgs {
  readonly runDir: string;
  readonly model?: string;
  readonly port?: number;
  readonly timing: ReplayTiming;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 64;

function waitForStopSignal(): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
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
    return EXIT_USAGE;
  }
  if (args.model !== undefined && args.model !== recording.model) {
    process.stderr.write(`case-route provider: --model ${args.model} is not the recorded model ${recording.model}\n`);
    return EXIT_USAGE;
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
    return EXIT_FAILED;
  }
  const stopped = waitForStopSignal();
  process.stdout.write(`${JSON.stringify({ url: provider.url, model: recording.model, replay: recording.runId, exchanges: recording.exchanges.length })}\n`);
  await stopped;
  await provider.close();
  const left = provider.unserved().length;
  process.stderr.write(`case-route provider: replayed ${recording.exchanges.length - left} of ${recording.exchanges.length} recorded exchange(s); ${provider.divergences().length} request(s) diverged\n`);
  return EXIT_OK;
}
