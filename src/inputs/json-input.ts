import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { z } from 'zod';

export const MAX_INPUT_BYTES = 1024 * 1024;

export type JsonInput<T> =
  | { readonly ok: true; readonly value: T; readonly sha256: string }
  | { readonly ok: false; readonly detail: string };

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

// Names a zod issue the way a person fixes it: file, then field path, then what was expected.
export function describeIssues(fileLabel: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${fileLabel}: invalid`;
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return `${fileLabel}: field "${field}": ${issue.message}`;
}

// Only the base name of a user's file is ever echoed: the full path may name their home.
export async function readJsonInput<T>(path: string, schema: z.ZodType<T>): Promise<JsonInput<T>> {
  const label = basename(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { ok: false, detail: `${label}: cannot be read (${code})` };
  }
  if (bytes.length > MAX_INPUT_BYTES) {
    return { ok: false, detail: `${label}: larger than ${MAX_INPUT_BYTES} bytes` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, detail: `${label}: not valid JSON` };
  }
  const result = schema.safeParse(parsed);
  if (!result.success) return { ok: false, detail: describeIssues(label, result.error) };
  return { ok: true, value: result.data, sha256: sha256Hex(bytes) };
}
