import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readTranscript, TRANSCRIPT_FILE, type TranscriptExchange } from '../evidence/transcript.js';
import { REPORT_JSON } from '../report/artifact-names.js';
import { ReportSchema } from '../report/report-schema.js';
import { verifyEvidence } from '../report/verify-evidence.js';

// A recorded run, as a replay or a fixture needs it: the primary lane's transcript, and what the
// report said about that lane, to compare a replay with.
export interface Recording {
  readonly runId: string;
  readonly lane: string;
  readonly fixture: string | null;
  readonly model: string;
  readonly exchanges: readonly TranscriptExchange[];
  readonly stage2Passed: boolean;
  // The agents Case spawned, in order, from its spawn lines.
  readonly agents: readonly string[];
  readonly requests: number;
}

// Names only the run directory's base name: it may sit under a user's home.
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
}

// Only an intact run is replayed: a transcript edited after the run would make a replay agree
// with answers no model gave. The attestation covers the transcript like every other artifact.
export async function loadRecording(runDir: string): Promise<Recording> {
  const name = basename(runDir);
  const verdict = await verifyEvidence(runDir).catch((error: unknown) => {
    throw new RecordingError(`run ${name}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  });
  if (!verdict.intact) throw new RecordingError(`run ${name}: not intact against its attestation: ${verdict.problems.slice(0, 3).join('; ')}`);
  const report = ReportSchema.parse(JSON.parse(await readFile(join(runDir, REPORT_JSON), 'utf8')));
  const primary = report.lanes.find((lane) => lane.role === 'primary');
  if (!report.case_process_started || !primary || report.case_model === null) {
    throw new RecordingError(`run ${name}: ${REPORT_JSON}: Case was not started (status ${report.status}), so there is nothing to replay`);
  }
  const where = `run ${name}: lanes/${primary.lane}/${TRANSCRIPT_FILE}`;
  const transcript = await readTranscript(join(runDir, 'lanes', primary.lane, TRANSCRIPT_FILE));
  if (!transcript.present) throw new RecordingError(`${where} is missing: the run was made with --no-transcript`);
  const [problem] = transcript.problems;
  if (problem) throw new RecordingError(`${where}: ${problem.kind === 'truncated' ? 'cut at its cap' : 'unreadable'}: ${problem.detail}`);
  if (transcript.exchanges.length === 0) throw new RecordingError(`${where} holds no model exchange`);
  return {
    runId: report.run_id,
    lane: primary.lane,
    fixture: report.fixture?.name ?? null,
    model: report.case_model,
    exchanges: transcript.exchanges,
    stage2Passed: primary.stage2.passed,
    agents: primary.spawn_lines.map((spawn) => spawn.agent ?? '(none)'),
    requests: primary.requests_total,
  };
}
