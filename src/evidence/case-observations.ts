import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpawnLine } from '../lanes/lane-types.js';

// Case records its model only in a stderr JSON line per agent spawn (case-facts.md).
export function parseSpawnLines(stderr: string): SpawnLine[] {
  const lines: SpawnLine[] = [];
  for (const line of stderr.split('\n')) {
    const start = line.indexOf('{');
    if (start < 0 || !line.includes('spawning agent')) continue;
    try {
      const record = JSON.parse(line.slice(start)) as Record<string, unknown>;
      if (record.msg !== 'spawning agent') continue;
      const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : null);
      lines.push({ agent: text('agent'), provider: text('provider'), model: text('model') });
    } catch {
      continue;
    }
  }
  return lines;
}

// Every record of Case's event logs for the task, oldest log first; a line that is not JSON is
// skipped (a log cut short by a killed Case ends in half a line).
export async function readCaseEvents(repoDir: string, slug: string): Promise<unknown[]> {
  const eventsDir = join(repoDir, '.case', slug, 'events');
  let files: string[];
  try {
    files = (await readdir(eventsDir)).filter((name) => /^run-.*\.jsonl$/.test(name)).sort();
  } catch {
    return [];
  }
  const events: unknown[] = [];
  for (const file of files) {
    const text = await readFile(join(eventsDir, file), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line));
      } catch {
        continue;
      }
    }
  }
  return events;
}

// Case exits 0 when its pipeline failed: only the pipeline_end event says how it ended.
export async function readPipelineOutcome(repoDir: string, slug: string): Promise<string | null> {
  let outcome: string | null = null;
  for (const event of await readCaseEvents(repoDir, slug)) {
    if (event === null || typeof event !== 'object' || !('event' in event) || event.event !== 'pipeline_end') continue;
    outcome = 'outcome' in event && typeof event.outcome === 'string' ? event.outcome : 'unknown';
  }
  return outcome;
}

export interface GhCall {
  readonly command: string;
  readonly allowed: boolean;
}

export async function readGhCalls(logFile: string): Promise<GhCall[]> {
  let text: string;
  try {
    text = await readFile(logFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as GhCall);
}
