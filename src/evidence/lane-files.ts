import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

// Reading what a lane left: every path component is checked not to be a symlink, a file is opened
// without following links and without blocking (a FIFO opens and is then refused as not regular),
// and no more than the cap is read. By the time anything is read every lane process is gone, so
// nothing can swap a file between the check and the read.

export type LaneFileRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly problem: 'missing' | 'not_regular' | 'too_large'; readonly detail: string };

async function componentsAreDirectories(root: string, parts: readonly string[]): Promise<string | null> {
  let dir = root;
  for (const part of parts) {
    dir = join(dir, part);
    const stat = await lstat(dir).catch(() => undefined);
    if (!stat) return 'missing';
    if (!stat.isDirectory()) return `${part} is not a directory`;
  }
  return null;
}

export async function readLaneFile(root: string, relPath: string, maxBytes: number): Promise<LaneFileRead> {
  const parts = relPath.split('/');
  const name = parts.pop()!;
  const dirProblem = await componentsAreDirectories(root, parts);
  if (dirProblem === 'missing') return { ok: false, problem: 'missing', detail: `${relPath} is missing` };
  if (dirProblem) return { ok: false, problem: 'not_regular', detail: `${relPath}: ${dirProblem}` };
  let handle;
  try {
    handle = await open(join(root, relPath), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, problem: 'missing', detail: `${relPath} is missing` };
    return { ok: false, problem: 'not_regular', detail: `${relPath} cannot be opened (${code === 'ELOOP' ? 'a symlink' : code ?? 'error'})` };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, problem: 'not_regular', detail: `${name} is not a regular file` };
    if (stat.size > maxBytes) return { ok: false, problem: 'too_large', detail: `${relPath} is larger than ${maxBytes} bytes` };
    const buffer = Buffer.alloc(stat.size);
    const { bytesRead } = await handle.read(buffer, 0, stat.size, 0);
    return { ok: true, text: buffer.subarray(0, bytesRead).toString('utf8') };
  } finally {
    await handle.close();
  }
}

// The names of the regular-looking entries of a lane directory, checked the same way; at most
// `maxEntries` of them, sorted.
export async function listLaneDir(root: string, relPath: string, maxEntries: number): Promise<{ names: string[]; problem?: string }> {
  const dirProblem = await componentsAreDirectories(root, relPath.split('/'));
  if (dirProblem === 'missing') return { names: [] };
  if (dirProblem) return { names: [], problem: `${relPath}: ${dirProblem}` };
  const names = (await readdir(join(root, relPath))).sort();
  if (names.length > maxEntries) return { names: [], problem: `${relPath} holds more than ${maxEntries} entries` };
  return { names };
}
