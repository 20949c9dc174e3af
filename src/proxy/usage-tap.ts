import { createParser } from 'eventsource-parser';
import { jsonOrUndefined } from '../evidence/json-or-undefined.js';

// What a model server said an answer cost, read from the answer's own body: `usage` (OpenAI's
// prompt_tokens / completion_tokens, in a JSON answer or in the stream's `include_usage` chunk)
// and llama.cpp's `timings.predicted_per_second`. Null where the answer did not say.
export interface UsageReading {
  readonly prompt_tokens: number | null;
  readonly completion_tokens: number | null;
  // The server's own decode speed (llama.cpp `timings`); null when it gives none, or 0.
  readonly server_tokens_per_second: number | null;
}

export interface UsageTap {
  // Each chunk of the answer as it is forwarded; never parses.
  push(chunk: Buffer): void;
  // Once the answer has ended whole.
  read(): UsageReading;
}

export const NO_USAGE: UsageReading = { prompt_tokens: null, completion_tokens: null, server_tokens_per_second: null };

// Every server puts usage in the last event of a stream (llama.cpp, vLLM, Ollama and LM Studio
// send it as the final chunk before `[DONE]`, a few hundred bytes), so only the stream's tail is
// kept and parsed, once, after the last byte has gone to the client: the tap costs the stream a
// copy of at most its tail per chunk, whatever the stream's length (bench/RESULTS.md, usage tap).
export const STREAM_TAIL_BYTES = 64 * 1024;
// A JSON answer is parsed whole; one larger than this is not read (Case always streams).
export const MAX_JSON_ANSWER_BYTES = 1024 * 1024;

const count = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null);
const rate = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null);

function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

// The reading of one answer object (a JSON answer or one chunk of a stream); null when it says
// nothing about usage.
function readingOf(answer: unknown): UsageReading | null {
  const fields = objectOf(answer);
  const usage = objectOf(fields?.['usage']);
  const timings = objectOf(fields?.['timings']);
  if (usage === null && timings === null) return null;
  return {
    prompt_tokens: count(usage?.['prompt_tokens']),
    completion_tokens: count(usage?.['completion_tokens']),
    server_tokens_per_second: rate(timings?.['predicted_per_second']),
  };
}

// Where whole events start in a tail cut at an arbitrary byte: after its first blank line.
const EVENT_BOUNDARY = /\r?\n\r?\n|\r\r/;

function readStreamTail(tail: Buffer, cut: boolean): UsageReading {
  let text = tail.toString('utf8');
  if (cut) {
    const boundary = EVENT_BOUNDARY.exec(text);
    if (boundary === null) return NO_USAGE;
    text = text.slice(boundary.index + boundary[0].length);
  }
  let last: UsageReading | null = null;
  const parser = createParser({
    maxBufferSize: STREAM_TAIL_BYTES,
    onEvent: (event) => {
      // Most events are content chunks; only those that can hold usage are parsed.
      if (!event.data.includes('"usage"') && !event.data.includes('"timings"')) return;
      const reading = readingOf(jsonOrUndefined(event.data));
      // vLLM's continuous usage stats repeat the counts in every chunk: the last one holds.
      if (reading !== null) last = reading;
    },
  });
  parser.feed(text);
  parser.reset({ consume: true });
  return last ?? NO_USAGE;
}

// A stream's tail is copied into a ring of STREAM_TAIL_BYTES rather than kept as the chunks
// themselves: a chunk the tap held on to would outlive the young generation and be promoted, and
// the garbage collector then cost the stream more than the copy (bench/RESULTS.md, usage tap).
function streamTap(): UsageTap {
  let ring: Buffer | null = null;
  let end = 0;
  let total = 0;
  return {
    push(chunk) {
      ring ??= Buffer.allocUnsafe(STREAM_TAIL_BYTES);
      total += chunk.length;
      let piece = chunk.length > STREAM_TAIL_BYTES ? chunk.subarray(chunk.length - STREAM_TAIL_BYTES) : chunk;
      while (piece.length > 0) {
        const copied = piece.copy(ring, end);
        end = (end + copied) % STREAM_TAIL_BYTES;
        piece = piece.subarray(copied);
      }
    },
    read() {
      if (ring === null) return NO_USAGE;
      if (total <= STREAM_TAIL_BYTES) return readStreamTail(ring.subarray(0, total), false);
      return readStreamTail(Buffer.concat([ring.subarray(end), ring.subarray(0, end)]), true);
    },
  };
}

// A JSON answer is kept whole, up to its cap, and parsed once it has ended.
function jsonTap(): UsageTap {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = false;
  return {
    push(chunk) {
      if (dropped) return;
      kept += chunk.length;
      if (kept > MAX_JSON_ANSWER_BYTES) {
        chunks.length = 0;
        dropped = true;
        return;
      }
      chunks.push(chunk);
    },
    read() {
      return dropped ? NO_USAGE : (readingOf(jsonOrUndefined(Buffer.concat(chunks).toString('utf8'))) ?? NO_USAGE);
    },
  };
}

export function createUsageTap(streamed: boolean): UsageTap {
  return streamed ? streamTap() : jsonTap();
}
