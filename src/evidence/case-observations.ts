import { findDuplicateKey } from '../inputs/json-input.js';
import { jsonOrUndefined } from './json-or-undefined.js';
import type { SpawnLine } from '../lanes/lane-types.js';
import { listLaneDir, readLaneFile } from './lane-files.js';

// Evidence that could not be read whole, or that speaks in a shape it must not: either one fails
// the run instead of being skipped.
export interface EvidenceProblem {
  readonly kind: 'truncated' | 'unparseable';
  readonly detail: string;
}

const SPEAKS_OF_SPAWNING = /spawning\s*agent/i;

// Case records its model only in a JSON line per agent spawn (case-facts.md). Every line that
// mentions spawning an agent must be exactly that record: a line in another format, with a
// duplicated key or a field of the wrong type could hide a spawn from the verdict.
export function parseSpawnLines(streams: ReadonlyArray<{ readonly name: string; readonly text: string }>): { lines: SpawnLine[]; problems: EvidenceProblem[] } {
  const lines: SpawnLine[] = [];
  const problems: EvidenceProblem[] = [];
  for (const { name, text } of streams) {
    text.split('\n').forEach((raw, index) => {
      if (!SPEAKS_OF_SPAWNING.test(raw)) return;
      const where = `${name} line ${index + 1}`;
      const line = raw.trim();
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        problems.push({ kind: 'unparseable', detail: `${where} mentions spawning an agent but is not a JSON record` });
        return;
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        problems.push({ kind: 'unparseable', detail: `${where} mentions spawning an agent but is not a JSON object` });
        return;
      }
      const duplicate = findDuplicateKey(line);
      if (duplicate !== undefined) {
        problems.push({ kind: 'unparseable', detail: `${where}: field "${duplicate}" appears twice in a spawn line` });
        return;
      }
      const fields = record as Record<string, unknown>;
      if (fields.msg !== 'spawning agent' || ['agent', 'provider', 'model'].some((key) => typeof fields[key] !== 'string')) {
        problems.push({ kind: 'unparseable', detail: `${where} mentions spawning an agent but is not a spawn record (msg, agent, provider, model)` });
        return;
      }
      lines.push({ agent: fields.agent as string, provider: fields.provider as string, model: fields.model as string });
    });
  }
  return { lines, problems };
}

export const EVENT_LIMITS = { maxFiles: 64, maxBytes: 16 * 1024 * 1024 } as const;

export interface CaseEvents {
  readonly files: ReadonlyArray<{ readonly name: string; readonly text: string }>;
  readonly problems: EvidenceProblem[];
}

// Case's event logs in the lane's copy (`.case/<slug>/events/run-*.jsonl`), read without
// following links and with caps.
export async function readCaseEvents(repoDir: string, slug: string): Promise<CaseEvents> {
  const dir = `.case/${slug}/events`;
  const listed = await listLaneDir(repoDir, dir, EVENT_LIMITS.maxFiles);
  const problems: EvidenceProblem[] = listed.problem ? [{ kind: 'unparseable', detail: `Case events: ${listed.problem}` }] : [];
  const files: Array<{ name: string; text: string }> = [];
  for (const name of listed.names.filter((n) => /^run-[\w.-]*\.jsonl$/.test(n))) {
    const read = await readLaneFile(repoDir, `${dir}/${name}`, EVENT_LIMITS.maxBytes);
    if (read.ok) files.push({ name, text: read.text });
    else if (read.problem !== 'missing') problems.push({ kind: read.problem === 'too_large' ? 'truncated' : 'unparseable', detail: `Case events: ${read.detail}` });
  }
  return { files, problems };
}

// Each JSON object line of Case's event logs that mentions `mention` (a cheap filter before the
// parse: the logs are the lane's own and can be large); other lines are skipped, not errors.
export function caseEventRecords(files: ReadonlyArray<{ readonly text: string }>, mention: string): Array<Record<string, unknown>> {
  return files.flatMap(({ text }) =>
    text.split('\n').flatMap((line) => {
      if (!line.includes(mention)) return [];
      const value = jsonOrUndefined(line);
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? [value as Record<string, unknown>] : [];
    }),
  );
}

// Case exits 0 when its pipeline failed: only the pipeline_end event says how it ended.
export function pipelineOutcome(events: CaseEvents): string | null {
  const ends = caseEventRecords(events.files, 'pipeline_end').filter((event) => event['event'] === 'pipeline_end');
  const last = ends.at(-1);
  if (last === undefined) return null;
  return typeof last['outcome'] === 'string' ? last['outcome'] : 'unknown';
}
