import { mkdir, open } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

export interface JsonlAppender {
  append(record: object): void;
  // Resolves when every appended record is a complete line on disk and the file is closed;
  // rejects with the first write error, so an evidence log with a hole is never taken for a
  // complete one. Nothing may be appended after it.
  close(): Promise<void>;
}

// The file is created up front: an empty log then means "ran, saw nothing", and a missing one
// means the recorder never ran. It stays open, and the lines appended while a write is under way
// go out together in the next one: a recorder in front of every model request must not cost an
// open and a close per line (bench/RESULTS.md, proxy overhead).
export async function openJsonlAppender(file: string): Promise<JsonlAppender> {
  await mkdir(dirname(file), { recursive: true });
  const handle = await open(file, 'a');
  let queued = '';
  let tail: Promise<void> = Promise.resolve();
  let firstError: unknown;
  const writeQueued = async (): Promise<void> => {
    const batch = queued;
    queued = '';
    await handle.appendFile(batch);
  };
  return {
    append(record) {
      const startsBatch = queued === '';
      queued += `${JSON.stringify(record)}\n`;
      if (startsBatch) {
        tail = tail.then(writeQueued).catch((error: unknown) => {
          firstError ??= error;
        });
      }
    },
    async close() {
      await tail;
      await handle.close();
      if (firstError !== undefined) {
        throw new Error(`could not write ${basename(file)}`, { cause: firstError });
      }
    },
  };
}
