import type { Redactor } from './redact.js';

// A model streams its answer a few characters at a time, so a secret (or a path of this machine)
// it repeats is cut across the stream's events, and no event alone holds what the redactor looks
// for: a reader joining the deltas, as a client or `fixture from-run` does, gets it back whole.
// Where an answer's joined text (its content, its reasoning, each tool call's arguments) holds
// something the redactor would remove, the whole text goes into the first event that carried a
// piece of it and the later pieces become empty, so the redaction of the transcript then finds
// it; the events, their count and their times are kept.

type Chunk = { choices?: Array<{ index?: number; delta?: Record<string, unknown> }> };

interface Piece {
  readonly event: number;
  readonly set: (text: string) => void;
  readonly text: string;
}

const TEXT_FIELDS = ['content', 'reasoning_content', 'reasoning'] as const;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function piecesOf(chunks: ReadonlyArray<Chunk | undefined>): Map<string, Piece[]> {
  const groups = new Map<string, Piece[]>();
  const add = (key: string, piece: Piece) => groups.set(key, [...(groups.get(key) ?? []), piece]);
  chunks.forEach((chunk, event) => {
    for (const choice of Array.isArray(chunk?.choices) ? chunk.choices : []) {
      const delta = record(record(choice)?.delta);
      if (!delta) continue;
      const at = typeof choice.index === 'number' ? choice.index : 0;
      for (const field of TEXT_FIELDS) {
        const text = delta[field];
        if (typeof text === 'string') add(`${at}:${field}`, { event, text, set: (value) => (delta[field] = value) });
      }
      const calls = Array.isArray(delta['tool_calls']) ? delta['tool_calls'] : [];
      calls.forEach((raw, position) => {
        const call = record(raw);
        const fn = record(call?.['function']);
        const text = fn?.['arguments'];
        const index = typeof call?.['index'] === 'number' ? call['index'] : position;
        if (fn && typeof text === 'string') add(`${at}:call:${index}`, { event, text, set: (value) => (fn['arguments'] = value) });
      });
    }
  });
  return groups;
}

function coalesce(line: string, redactor: Redactor): string {
  let exchange: unknown;
  try {
    exchange = JSON.parse(line);
  } catch {
    return line;
  }
  const events = record(record(exchange)?.['response'])?.['events'];
  if (!Array.isArray(events)) return line;
  const chunks = events.map((event): Chunk | undefined => {
    try {
      return record(JSON.parse(String(record(event)?.['data']))) as Chunk | undefined;
    } catch {
      return undefined;
    }
  });
  const changed = new Set<number>();
  for (const pieces of piecesOf(chunks).values()) {
    if (pieces.length < 2) continue;
    const whole = pieces.map((piece) => piece.text).join('');
    const found = redactor.scan(whole);
    if (!found.secret && !found.path) continue;
    pieces.forEach((piece, i) => {
      piece.set(i === 0 ? whole : '');
      changed.add(piece.event);
    });
  }
  if (changed.size === 0) return line;
  for (const event of changed) (events[event] as Record<string, unknown>)['data'] = JSON.stringify(chunks[event]);
  return JSON.stringify(exchange);
}

// The transcript as an artifact: each streamed answer joined where it must be, then redacted.
export function redactTranscript(text: string, redactor: Redactor): string {
  return redactor.redact(text.split('\n').map((line) => coalesce(line, redactor)).join('\n'));
}
