import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ATTESTATION, REPORT_JSON } from './artifact-names.js';
import { listRunDir, predicateFor, sha256Of, StatementSchema, type RunPredicate } from './attestation.js';
import { claimOf } from './claim.js';
import { jsonOrUndefined } from '../evidence/json-or-undefined.js';
import { parseReport, type Claim } from './report-schema.js';

export interface EvidenceVerdict {
  readonly intact: boolean;
  readonly run: RunPredicate['run'] | null;
  // What the run is evidence of, as attested; null unless intact, so an edited copy claims nothing.
  readonly claim: Claim | null;
  readonly files_checked: number;
  // Empty exactly when intact: each entry names one file or one field and what is wrong with it.
  readonly problems: readonly string[];
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const PREDICATE_FIELDS = ['run', 'claim', 'decision_record', 'admission_file', 'case_config', 'fixture_tree', 'report'] as const;

// Recomputes every digest the statement names from the files as they are now, refuses files it
// does not name, and checks that what the predicate says about the run is what report.json says.
export async function verifyEvidence(runDir: string): Promise<EvidenceVerdict> {
  const text = await readText(join(runDir, ATTESTATION));
  if (text === null) return { intact: false, run: null, claim: null, files_checked: 0, problems: [`${ATTESTATION} is missing`] };
  const parsed = StatementSchema.safeParse(jsonOrUndefined(text));
  if (!parsed.success) return { intact: false, run: null, claim: null, files_checked: 0, problems: [`${ATTESTATION} is not a case-route in-toto statement`] };
  const statement = parsed.data;
  const problems: string[] = [];
  const entries = new Map((await listRunDir(runDir)).map((entry) => [entry.name, entry]));
  const digests = new Map<string, string>();
  const named = new Set<string>();
  for (const subject of statement.subject) {
    if (named.has(subject.name)) problems.push(`${subject.name} is named twice in ${ATTESTATION}`);
    named.add(subject.name);
    const entry = entries.get(subject.name);
    if (!entry) {
      problems.push(`${subject.name} is missing`);
      continue;
    }
    if (!entry.regular) {
      problems.push(`${subject.name} is not a regular file`);
      continue;
    }
    const actual = sha256Of(await readFile(entry.path));
    digests.set(subject.name, actual);
    if (actual !== subject.digest.sha256) problems.push(`${subject.name} changed: sha256 ${actual}, attested ${subject.digest.sha256}`);
  }
  for (const name of entries.keys()) {
    if (!named.has(name)) problems.push(`${name} is not covered by ${ATTESTATION}`);
  }
  const reportText = digests.has(REPORT_JSON) ? await readText(join(runDir, REPORT_JSON)) : null;
  const report = reportText === null ? null : parseReport(reportText);
  if (!named.has(REPORT_JSON)) problems.push(`${ATTESTATION} does not cover ${REPORT_JSON}`);
  else if (report && !report.ok) problems.push(`${REPORT_JSON} ${report.problem}`);
  else if (report?.ok) {
    // The claim must follow from the report's own evidence: rewriting it, even with every digest
    // recomputed, does not make a run say more than it showed.
    if (canonical(claimOf(report.report)) !== canonical(report.report.claim)) problems.push(`${REPORT_JSON}'s claim does not follow from its evidence`);
    const expected = predicateFor(report.report, digests);
    for (const field of PREDICATE_FIELDS) {
      if (canonical(expected[field]) !== canonical(statement.predicate[field])) problems.push(`predicate.${field} does not match the files`);
    }
  }
  const intact = problems.length === 0;
  return { intact, run: statement.predicate.run, claim: intact ? statement.predicate.claim : null, files_checked: digests.size, problems };
}
