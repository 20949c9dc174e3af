import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

// A reader sees the whole file or none of it: the text goes to a temporary sibling that is then
// renamed over the name, and the temporary is removed if anything fails.
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}
