import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Redactor } from './redact.js';

export interface ArtifactHit {
  // Relative to the run directory.
  readonly name: string;
  readonly secret: boolean;
  readonly path: boolean;
}

// The last look before the verdict: every artifact of the run is read back and searched for
// anything the redactor would remove. A hit means some writer bypassed redaction.
export async function scanArtifacts(runDir: string, redactor: Redactor): Promise<ArtifactHit[]> {
  const entries = await readdir(runDir, { withFileTypes: true, recursive: true });
  const hits: ArtifactHit[] = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = join(entry.parentPath, entry.name);
    const found = redactor.scan(await readFile(file, 'utf8'));
    if (found.secret || found.path) hits.push({ name: relative(runDir, file), secret: found.secret, path: found.path });
  }
  return hits;
}
