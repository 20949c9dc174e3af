import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ZodType } from 'zod';

// Fails on the first bad or truncated line instead of skipping it: evidence that cannot be read
// whole proves nothing.
export async function readJsonl<T>(file: string, schema: ZodType<T>): Promise<T[]> {
  const name = basename(file);
  const text = await readFile(file, 'utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${name}: last line is incomplete`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, index) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`${name}:${index + 1}: not JSON`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${name}:${index + 1}: ${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
      }
      return parsed.data;
    });
}
