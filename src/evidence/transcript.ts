import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { EvidenceProblem } from './case-observations.js';

export const TRANSCRIPT_FILE = 'transcript.jsonl';
// What one lane's transcript may hold; past it the rest of the lane's exchanges are not kept and
// the run fails (evidence_truncated), as for any other evidence that reached its cap.
export const TRANSCRIPT_CAP_BYTES = 64 * 1024 * 1024;

// One event of a streamed answer: its `data` as sent, and when it came, in milliseconds after the
// request was forwarded.
const StreamEventSchema = z.strictObject({ t_ms: z.number().nonnegative(), data: z.string() });

// One model exchange through the recording proxy, keyed by lane, Case agent and turn (the agent
// named on the system prompt's first line, the turn the number of assistant messages before it).
const ExchangeSchema = z.strictObject({
  seq: z.number().int().positive(),
  lane: z.string(),
  agent: z.string().nullable(),
  turn: z.number().int().nonnegative(),
  time: z.iso.datetime(),
  request: z.strictObject({ path: z.string(), body: z.unknown() }),
  response: z.strictObject({
    status: z.number().int(),
    content_type: z.string().nullable(),
    // A streamed answer is its events; any other answer its body as text.
    events: z.array(StreamEventSchema).nullable(),
    body: z.string().nullable(),
    end_ms: z.number().nonnegative(),
  }),
});

// The last line of a transcript that reached its cap.
const TruncationSchema = z.strictObject({ truncated: z.literal(true), detail: z.string() });

export type TranscriptExchange = z.infer<typeof ExchangeSchema>;
export type StreamEvent = z.infer<typeof StreamEventSchema>;
export type TranscriptTruncation = z.infer<typeof TruncationSchema>;
export type TranscriptLine = TranscriptExchange | TranscriptTruncation;

export interface Transcript {
  // In the order the requests came, whatever order they finished in.
  readonly exchanges: readonly TranscriptExchange[];
  readonly problems: readonly EvidenceProblem[];
}

export function describeKey(exchange: { agent: string | null; turn: number }): string {
  return `${exchange.agent ?? '(no agent)'} turn ${exchange.turn}`;
}

export function parseTranscript(text: string, name: string): Transcript {
  const exchanges: TranscriptExchange[] = [];
  const problems: EvidenceProblem[] = [];
  // A line cut short (the harness died mid-write) is reported, and the whole lines before it kept.
  const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  if (whole !== text) problems.push({ kind: 'unparseable', detail: `${name}: last line is incomplete` });
  const lines = whole === '' ? [] : whole.slice(0, -1).split('\n');
  lines.forEach((line, index) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ kind: 'unparseable', detail: `${name}:${index + 1}: not JSON` });
      return;
    }
    const truncation = TruncationSchema.safeParse(value);
    if (truncation.success) {
      problems.push({ kind: 'truncated', detail: `${name}: ${truncation.data.detail}` });
      return;
    }
    const parsed = ExchangeSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problems.push({ kind: 'unparseable', detail: `${name}:${index + 1}: ${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}` });
      return;
    }
    exchanges.push(parsed.data);
  });
  exchanges.sort((a, b) => a.seq - b.seq);
  return { exchanges, problems };
}

// A transcript that is missing is no problem here: the recorder is off with --no-transcript, and
// a lane whose proxy never started has no transcript to read.
export async function readTranscript(file: string): Promise<Transcript & { readonly present: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exchanges: [], problems: [], present: false };
    return { exchanges: [], problems: [{ kind: 'unparseable', detail: `${basename(file)}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})` }], present: true };
  }
  return { ...parseTranscript(text, basename(file)), present: true };
}
