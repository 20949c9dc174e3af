import { tmpdir } from 'node:os';
import { createRedactor } from '../evidence/redact.js';

// When a request Case sends in a replay is "the same" as the one it sent in the recorded run.
// Compared: the fields that decide what the model is asked (model, stream, messages, tools,
// tool_choice). Not compared: sampling and length fields, which follow the server's stated context
// window (max_completion_tokens) and not what Case asks. Inside the compared fields every string is
// normalized first, on both sides, so that what changes from run to run by itself does not count:
// - secrets, by the redactor's shapes (the recorded side was redacted when it became an artifact);
// - temp paths: the run's workspace (`<workspace>` in the recording, a `case-route-XXXXXXXXXXXX`
//   directory under the temp dir live) and a lane's root under it, whatever the lane is called;
//   other directories under the temp dir;
// - timestamps and dates (ISO 8601, git log's), times of day, and durations (`12ms`, `0.5 s`);
// - ids: tool-call and completion ids (`call_...`, `chatcmpl-...`), UUIDs, git object names
//   (7 to 40 hex digits with a digit and a letter, or exactly 7 digits where git prints a short
//   one), and every `id` /
//   `tool_call_id` field.
export const COMPARED_FIELDS = ['model', 'stream', 'messages', 'tools', 'tool_choice'] as const;

const ID_FIELDS = new Set(['id', 'tool_call_id']);

const SHAPES = createRedactor([]);
const TMP = tmpdir().replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A path segment: anything but a separator, white space, quotes or a label's brackets.
const SEGMENT = String.raw`[^\s/"'\x60<>]+`;
export const LIVE_WORKSPACE = new RegExp(String.raw`(?:/${SEGMENT})*/case-route-[A-Za-z0-9_-]{12}(?![A-Za-z0-9_-])`, 'g');
const LANE_ROOT = /<workspace>\/lanes\/[a-z]+(?![\w-])/g;
const TMP_PATH = new RegExp(`${TMP}/${SEGMENT}`, 'g');
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g;
// git log's and date(1)'s form: `Mon Nov 30 20:32:25 2026 +0000`; then any time of day left.
const DAY_DATE = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +(?:\d{1,2} +)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* +(?:\d{1,2} +)?\d{2}:\d{2}(?::\d{2})?(?: +[A-Z]{3,4})? +\d{4}(?: +[+-]\d{4})?/g;
const TIME_OF_DAY = /\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g;
const DURATION = /\b\d+(?:\.\d+)?\s?(?:ms|s|sec|seconds)\b/g;
// An id is letters and digits after its prefix, at least one a digit: a word such as
// `call_sum_fails` in a tool's output is text, and a difference in it counts.
const TOOL_ID = /\b(?:call|chatcmpl|toolu|fc)[_-](?=[A-Za-z]*\d)[A-Za-z0-9]{6,}\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
// A git object name has a digit and a letter, except the short ones that happen to be all digits:
// seven, git's own abbreviation in a small repository, taken for one only where git prints one
// (a line's start, `[branch 1234567]`), as any other seven-digit number is a value that counts.
const HEX = /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b|(?<=^|\[[^\]\s]+ )\d{7}(?=[\s\]]|$)/gm;

export function normalizeText(text: string, redact: (text: string) => string = (t) => t): string {
  return SHAPES.redact(redact(text))
    .replace(LIVE_WORKSPACE, '<workspace>')
    .replace(LANE_ROOT, '<lane>')
    .replace(TMP_PATH, '<tmp>')
    .replace(UUID, '<id>')
    .replace(TIMESTAMP, '<time>')
    .replace(DAY_DATE, '<time>')
    .replace(TIME_OF_DAY, '<time>')
    .replace(TOOL_ID, '<id>')
    .replace(HEX, '<hash>')
    .replace(DURATION, '<duration>');
}

function normalizeValue(value: unknown, redact: (text: string) => string, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && ID_FIELDS.has(key) ? '<id>' : normalizeText(value, redact);
  if (Array.isArray(value)) return value.map((item) => normalizeValue(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeValue(v, redact, k)]));
  }
  return value;
}

// The compared part of a request body, normalized. `redact` is the run's own redactor when there
// is one, so the live request's paths get the labels the recording's got.
export function normalizeRequest(body: unknown, redact?: (text: string) => string): Record<string, unknown> {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const compared: Record<string, unknown> = {};
  for (const field of COMPARED_FIELDS) {
    if (Object.hasOwn(fields, field)) compared[field] = normalizeValue(fields[field], redact ?? ((t) => t));
  }
  return compared;
}

export interface Divergence {
  // Where in the request body, as a JSON path (`messages[3].content`).
  readonly path: string;
  // What differs there, with the recorded and the received values clipped around the difference.
  readonly detail: string;
}

const CLIP = 60;

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > CLIP ? `${text.slice(0, CLIP)}…` : text;
}

function stringDetail(recorded: string, received: string): string {
  let at = 0;
  while (at < recorded.length && at < received.length && recorded[at] === received[at]) at += 1;
  const from = Math.max(0, at - 20);
  const clip = (text: string) => `${from > 0 ? '…' : ''}${JSON.stringify(text.slice(from, at + CLIP - 20)).slice(1, -1)}${text.length > at + CLIP - 20 ? '…' : ''}`;
  return `differs at character ${at}: recorded "${clip(recorded)}", received "${clip(received)}"`;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][\w]*$/.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;
}

function firstDifference(recorded: unknown, received: unknown, path: string): Divergence | null {
  if (typeof recorded === 'string' && typeof received === 'string') {
    return recorded === received ? null : { path, detail: stringDetail(recorded, received) };
  }
  if (Array.isArray(recorded) && Array.isArray(received)) {
    for (let i = 0; i < Math.min(recorded.length, received.length); i += 1) {
      const found = firstDifference(recorded[i], received[i], childPath(path, i));
      if (found) return found;
    }
    if (recorded.length !== received.length) {
      return { path: `${path}.length`, detail: `recorded ${recorded.length} item(s), received ${received.length}` };
    }
    return null;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(recorded) && isObject(received)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(received)])];
    for (const key of keys) {
      const found = firstDifference(recorded[key], received[key], childPath(path, key));
      if (found) return found;
    }
    return null;
  }
  if (recorded === received) return null;
  return { path: path || '(body)', detail: `recorded ${show(recorded)}, received ${show(received)}` };
}

// Null when the received request is equivalent to the recorded one; else the first place where
// it is not, in the order of COMPARED_FIELDS and then of the recorded body.
export function compareRequests(recorded: unknown, received: unknown, redact?: (text: string) => string): Divergence | null {
  return firstDifference(normalizeRequest(recorded), normalizeRequest(received, redact), '');
}
