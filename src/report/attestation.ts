import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { ATTESTATION, REPORT_JSON } from './artifact-names.js';
import { GENERATOR } from './generator.js';
import { ClaimSchema, type Report } from './report-schema.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'urn:case-local-route:predicate:route-run:v1';

const Digest = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const NamedDigest = z.object({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const RunPredicateSchema = z.object({
  run: z.object({
    run_id: z.string(),
    status: z.enum(['pass', 'fail', 'blocked', 'aborted']),
    blocked_reason: z.string().nullable(),
    fail_reasons: z.array(z.string()),
    final_state: z.string(),
    case_process_started: z.boolean(),
    no_fallback: z.boolean(),
    lane: z.string(),
    started_at: z.string(),
    finished_at: z.string(),
  }),
  // What the run is evidence of, as report.json states it: `verify` prints this one.
  claim: ClaimSchema,
  decision_record: z.object({ work_id: z.string(), sha256: z.string() }).nullable(),
  admission_file: z.object({ sha256: z.string() }).nullable(),
  // Each lane's generated Case config, as kept (redacted) with its evidence.
  case_config: z.array(NamedDigest),
  fixture_tree: z.object({ name: z.string(), sha256: z.string().nullable() }).nullable(),
  report: NamedDigest,
  generator: z.object({ name: z.string(), version: z.string() }),
});

export const StatementSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.array(z.object({ name: z.string(), digest: Digest })).min(1),
  predicateType: z.literal(PREDICATE_TYPE),
  predicate: RunPredicateSchema,
});

export type Statement = z.infer<typeof StatementSchema>;
export type RunPredicate = z.infer<typeof RunPredicateSchema>;

export function sha256Of(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface RunDirEntry {
  // Relative to the run directory, with forward slashes: the name a subject carries.
  readonly name: string;
  readonly path: string;
  readonly regular: boolean;
}

// Every entry below the run directory except the statement itself. Anything that is not a
// regular file is listed too, so verify can refuse it rather than silently skip it.
export async function listRunDir(runDir: string): Promise<RunDirEntry[]> {
  const entries = await readdir(runDir, { withFileTypes: true, recursive: true });
  const listed: RunDirEntry[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name);
    const name = relative(runDir, path).split(sep).join('/');
    if (name === ATTESTATION) continue;
    listed.push({ name, path, regular: (await lstat(path)).isFile() });
  }
  return listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function isCaseConfig(name: string): boolean {
  return /^lanes\/[^/]+\/adapter\/[^/]+\.json$/.test(name);
}

export function predicateFor(report: Report, digests: ReadonlyMap<string, string>): RunPredicate {
  return {
    run: {
      run_id: report.run_id,
      status: report.status,
      blocked_reason: report.blocked_reason,
      fail_reasons: report.fail_reasons.map((f) => f.reason),
      final_state: report.final_state,
      case_process_started: report.case_process_started,
      no_fallback: report.no_fallback.verdict,
      lane: report.lane,
      started_at: report.started_at,
      finished_at: report.finished_at,
    },
    claim: report.claim,
    decision_record: report.decision_ref ? { work_id: report.decision_ref.work_id, sha256: report.decision_ref.sha256 } : null,
    admission_file: report.admission_ref ? { sha256: report.admission_ref.sha256 } : null,
    case_config: [...digests].filter(([name]) => isCaseConfig(name)).map(([name, sha256]) => ({ name, sha256 })),
    fixture_tree: report.fixture ? { name: report.fixture.name, sha256: report.fixture.tree_sha256 } : null,
    report: { name: REPORT_JSON, sha256: digests.get(REPORT_JSON) ?? '' },
    generator: { name: GENERATOR.name, version: GENERATOR.version },
  };
}

// The statement covers every file of the run directory as it is now: the report, its companions
// and each lane's artifacts. It is not signed; sign it with your own tooling if it must travel.
export async function buildAttestation(runDir: string, report: Report): Promise<Statement> {
  const digests = new Map<string, string>();
  for (const entry of await listRunDir(runDir)) {
    if (!entry.regular) throw new Error(`attestation: ${entry.name} is not a regular file`);
    digests.set(entry.name, sha256Of(await readFile(entry.path)));
  }
  if (!digests.has(REPORT_JSON)) throw new Error(`attestation: ${REPORT_JSON} is missing`);
  return {
    _type: STATEMENT_TYPE,
    subject: [...digests].map(([name, sha256]) => ({ name, digest: { sha256 } })),
    predicateType: PREDICATE_TYPE,
    predicate: predicateFor(report, digests),
  };
}
