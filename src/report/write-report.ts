import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { scanArtifacts, type ArtifactHit } from '../evidence/artifact-scan.js';
import type { Redactor } from '../evidence/redact.js';
import { REPORT_JSON } from './artifact-names.js';
import { withClaim, type ReportDraft } from './claim.js';
import { writeCompanions } from './companions.js';
import { projectReport, type RunFacts } from './project-report.js';
import type { Report } from './report-schema.js';
import type { FailFinding } from './verdict.js';
import { writeAtomically } from './write-atomically.js';

type ArtifactFinding = FailFinding & { readonly reason: 'secret_detected' | 'path_exposed' };

function artifactFindings(hits: readonly ArtifactHit[]): ArtifactFinding[] {
  return hits.flatMap((hit) => [
    ...(hit.secret ? [{ reason: 'secret_detected' as const, detail: `${hit.name} holds a secret` }] : []),
    ...(hit.path ? [{ reason: 'path_exposed' as const, detail: `${hit.name} holds an absolute path of this machine` }] : []),
  ]);
}

// The only code that writes a report. Status is computed here from the facts, after the scan.
export async function emitReport(
  runDir: string,
  facts: Omit<RunFacts, 'artifactFindings' | 'redactionCount'>,
  redactor: Redactor,
): Promise<{ report: Report; file: string }> {
  const draft = projectReport({ ...facts, artifactFindings: artifactFindings(await scanArtifacts(runDir, redactor)), redactionCount: redactor.count });
  const text = redactor.redact(`${JSON.stringify(draft, null, 2)}\n`);
  // The claim is derived from the report as written, redacted, so that `verify` deriving it again
  // from report.json gets the same words.
  const report = withClaim({ ...(JSON.parse(text) as ReportDraft), redactions: { count: redactor.count } });
  const file = join(runDir, REPORT_JSON);
  await writeAtomically(file, `${JSON.stringify(report, null, 2)}\n`);
  try {
    await writeCompanions(runDir, report);
  } catch (error) {
    // A report without its attestation could not be checked: the run has no report at all.
    await rm(file, { force: true });
    throw error;
  }
  return { report, file };
}
