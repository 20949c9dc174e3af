import { lstat, readdir } from 'node:fs/promises';
import { readLaneFile } from '../evidence/lane-files.js';
import { REPORT_JSON } from './artifact-names.js';
import { parseReport, type LaneReport, type Report } from './report-schema.js';

// The runs in an out directory, each read from its report.json and checked against the report
// schema: `case-route runs`. A directory that is not a run, or whose report cannot be read or is
// not a report of this version, is listed as unreadable with the reason; nothing in it is trusted
// beyond what the schema admits.

export interface RunLaneSummary {
  readonly lane: LaneReport['lane'];
  readonly role: LaneReport['role'];
  readonly server: string;
  readonly requests: number;
  readonly prompt_tokens: number | null;
  readonly completion_tokens: number | null;
  readonly tokens_per_second: number | null;
  readonly median_ttft_ms: number | null;
}

export type RunEntry =
  | {
      readonly dir: string;
      readonly readable: true;
      readonly run_id: string;
      readonly status: Report['status'];
      readonly stage2_evidence: Report['claim']['stage2_evidence'];
      readonly started_at: string;
      readonly duration_ms: number | null;
      readonly lane: Report['lane'];
      readonly model: string | null;
      readonly reason: string | null;
      // The primary lane's: the model under Case. The baseline runs on the harness's scripted provider.
      readonly requests: number;
      readonly tokens_per_second: number | null;
      readonly median_ttft_ms: number | null;
      readonly lanes: readonly RunLaneSummary[];
      readonly report_html: string;
    }
  | { readonly dir: string; readonly readable: false; readonly problem: string };

// A report with every request of a long real run stays well under this.
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

function laneSummary(lane: LaneReport): RunLaneSummary {
  const server = lane.upstream.source === 'harness_scripted_provider' ? 'scripted provider (harness)' : `${lane.upstream.server_kind}${lane.upstream.server_version ? ` ${lane.upstream.server_version}` : ''}`;
  return {
    lane: lane.lane,
    role: lane.role,
    server,
    requests: lane.requests_total,
    prompt_tokens: lane.metrics.totals.prompt_tokens,
    completion_tokens: lane.metrics.totals.completion_tokens,
    tokens_per_second: lane.metrics.throughput.tokens_per_second,
    median_ttft_ms: lane.metrics.throughput.median_ttft_ms,
  };
}

function reasonOf(report: Report): string | null {
  if (report.status === 'blocked') return `${report.blocked_reason ?? 'route_error'}: ${report.blocked_detail ?? ''}`;
  if (report.status === 'fail') return report.first_error?.message.split('\n')[0] ?? report.fail_reasons[0]?.reason ?? null;
  return null;
}

async function readRun(outDir: string, dir: string): Promise<RunEntry> {
  const read = await readLaneFile(outDir, `${dir}/${REPORT_JSON}`, MAX_REPORT_BYTES);
  if (!read.ok) return { dir, readable: false, problem: read.problem === 'missing' ? `no ${REPORT_JSON}` : read.detail.replace(`${dir}/`, '') };
  const parsed = parseReport(read.text);
  if (!parsed.ok) return { dir, readable: false, problem: `${REPORT_JSON} ${parsed.problem}` };
  const { report } = parsed;
  const lanes = report.lanes.map(laneSummary);
  const primary = lanes.find((lane) => lane.role === 'primary') ?? null;
  const duration = Date.parse(report.finished_at) - Date.parse(report.started_at);
  return {
    dir,
    readable: true,
    run_id: report.run_id,
    status: report.status,
    stage2_evidence: report.claim.stage2_evidence,
    started_at: report.started_at,
    duration_ms: Number.isFinite(duration) ? duration : null,
    lane: report.lane,
    model: report.case_model,
    reason: reasonOf(report),
    requests: primary?.requests ?? 0,
    tokens_per_second: primary?.tokens_per_second ?? null,
    median_ttft_ms: primary?.median_ttft_ms ?? null,
    lanes,
    report_html: `${dir}/report.html`,
  };
}

export type ReadableRun = Extract<RunEntry, { readable: true }>;

export class RunListError extends Error {}

// Newest first; the unreadable after the runs, by name.
export async function listRuns(outDir: string): Promise<RunEntry[]> {
  const info = await lstat(outDir).catch(() => undefined);
  if (!info) throw new RunListError('no such directory');
  if (!info.isDirectory()) throw new RunListError('not a directory');
  const entries = (await readdir(outDir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  // One report at a time: each can be large, and only its summary is kept.
  const runs: RunEntry[] = [];
  for (const entry of entries) {
    if (entry.isSymbolicLink()) runs.push({ dir: entry.name, readable: false, problem: 'a symbolic link, not followed' });
    else if (entry.isDirectory()) runs.push(await readRun(outDir, entry.name));
  }
  const readable = runs.filter((run): run is ReadableRun => run.readable).sort((a, b) => b.started_at.localeCompare(a.started_at));
  return [...readable, ...runs.filter((run) => !run.readable)];
}
