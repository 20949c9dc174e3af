import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { printParseErrorCode, visit } from 'jsonc-parser';
import type { $ZodError, $ZodType } from 'zod/v4/core';
import { z } from './zod-mini.js';

export const MAX_INPUT_BYTES = 1024 * 1024;
export const MAX_INPUT_DEPTH = 32;

export type JsonInput<T> =
  | { readonly ok: true; readonly value: T; readonly sha256: string }
  // `unset`: no file was named (its variable is missing or empty), as opposed to a bad file.
  | { readonly ok: false; readonly detail: string; readonly unset?: true };

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function isMissing(value: unknown, path: readonly PropertyKey[]): boolean {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return true;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return false;
}

// Names every problem at once, so that a record with three takes one edit, not three runs: the
// file, the fields that are missing, then each field that is there but wrong and what was expected.
export function describeIssues(fileLabel: string, error: $ZodError, value: unknown): string {
  if (error.issues.length === 0) return `${fileLabel}: invalid`;
  const name = (issue: $ZodError['issues'][number]) => (issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)');
  const missing = error.issues.filter((issue) => issue.path.length > 0 && isMissing(value, issue.path));
  const wrong = error.issues.filter((issue) => !missing.includes(issue));
  const problems = [
    ...(missing.length > 0 ? [`missing field${missing.length > 1 ? 's' : ''} ${missing.map((issue) => `"${name(issue)}"`).join(', ')}`] : []),
    ...wrong.map((issue) => `field "${name(issue)}": ${issue.message}`),
  ];
  return `${fileLabel}: ${problems.join('; ')}`;
}

// JSON.parse tells where it stopped only as an offset, worded differently across Node versions;
// jsonc-parser, held to strict JSON here, gives the first syntax error's line and column.
function describeSyntaxError(text: string): string {
  let found: string | undefined;
  visit(
    text,
    {
      onError: (code, _offset, _length, line, character) => {
        const name = printParseErrorCode(code);
        const what = name === 'InvalidCommentToken' ? 'a comment (JSON has none)' : name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
        found ??= `line ${line + 1}, column ${character + 1}: ${what}`;
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return found ? `not valid JSON at ${found}` : 'not valid JSON';
}

// Iterative, so a hostile file nested a million levels deep cannot overflow the stack.
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_INPUT_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

// JSON.parse keeps the last of two equal keys, so `"admission_status":"rejected"` followed by
// `"admission_status":"admitted"` would read as admitted. A record that says two things is refused.
export function findDuplicateKey(text: string): string | undefined {
  const scopes: Array<Set<string>> = [];
  let duplicate: string | undefined;
  visit(text, {
    onObjectBegin: () => void scopes.push(new Set()),
    onObjectEnd: () => void scopes.pop(),
    onObjectProperty: (name) => {
      const scope = scopes.at(-1);
      if (scope?.has(name)) duplicate ??= name;
      scope?.add(name);
    },
  });
  return duplicate;
}

// Only the base name of a user's file is ever echoed: the full path may name their home.
export async function readJsonInput<T>(path: string, schema: $ZodType<T>): Promise<JsonInput<T>> {
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
  // A leading byte-order mark is what some editors write; it carries no meaning, so it is dropped.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, detail: `${label}: ${describeSyntaxError(text)}` };
  }
  if (depthOf(parsed) > MAX_INPUT_DEPTH) {
    return { ok: false, detail: `${label}: nested deeper than ${MAX_INPUT_DEPTH} levels` };
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    return { ok: false, detail: `${label}: field "${duplicate}" appears twice` };
  }
  const result = z.safeParse(schema, parsed);
  if (!result.success) return { ok: false, detail: describeIssues(label, result.error, parsed) };
  return { ok: true, value: result.data, sha256: sha256Hex(bytes) };
}
