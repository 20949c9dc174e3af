import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { nanoid } from 'nanoid';
import type { Redactor } from '../evidence/redact.js';
import { REPORT_JSON } from './artifact-names.js';
import { withClaim, type ReportDraft } from './claim.js';
import { writeCompanions } from './companions.js';
import { projectReport, type RunFacts } from './project-report.js';
import type { Report } from './report-schema.js';
import type { FailFinding } from './verdict.js';

type ArtifactFinding = FailFinding & { readonly reason: 'secret_detected' | 'path_exposed' };


async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

// The last look before the verdict: every artifact of the run is read back and searched for
// anything the redactor would remove. A hit means some writer bypassed redaction.
export async function scanArtifacts(runDir: string, redactor: Redactor): Promise<ArtifactFinding[]> {
  const findings: ArtifactFinding[] = [];
  for (const file of await listFiles(runDir)) {
    const found = redactor.scan(await readFile(file, 'utf8'));
    const name = relative(runDir, file);
    if (found.secret) findings.push({ reason: 'secret_detected', detail: `${name} holds a secret` });
    if (found.path) findings.push({ reason: 'path_exposed', detail: `${name} holds an absolute path of this machine` });
  }
  return findings;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${nanoid(8)}.tmp`;
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

// The only code that writes a report. Status is computed here from the facts, after the scan.
export async function emitReport(
  runDir: string,
  facts: Omit<RunFacts, 'artifactFindings' | 'redactionCount'>,
  redactor: Redactor,
): Promise<{ report: Report; file: string }> {
  const artifactFindings = await scanArtifacts(runDir, redactor);
  const draft = projectReport({ ...facts, artifactFindings, redactionCount: redactor.count });
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
