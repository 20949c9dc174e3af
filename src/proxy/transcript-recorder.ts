import { createParser } from 'eventsource-parser';
import { agentTurnOf } from '../evidence/agent-turn.js';
import type { StreamEvent, TranscriptLine } from '../evidence/transcript.js';
import { openJsonlAppender, type JsonlAppender } from './jsonl-appender.js';

// One exchange as the recording proxy sees it go by: the body it forwarded, then the answer.
export interface ExchangeTap {
  response(status: number, contentType: string | undefined): void;
  chunk(bytes: Uint8Array): void;
  // The exchange is over (answered, cut off or abandoned): its line is written now.
  end(): void;
}

export interface TranscriptRecorder {
  // Undefined once the transcript has reached its cap: nothing more is kept.
  begin(forwardedBody: Uint8Array): ExchangeTap | undefined;
  close(): Promise<void>;
}

export interface TranscriptRecorderOptions {
  readonly file: string;
  readonly lane: string;
  readonly maxBytes: number;
}

function isEventStream(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().startsWith('text/event-stream') === true;
}

// The transcript is kept beside the proxy audit, outside the lane's reach, unredacted like the
// audit: it becomes an artifact only through the lane's check, which redacts it like every other.
// Its size is bounded as a whole; an exchange that would pass the cap is replaced by a last line
// saying the transcript was cut, and nothing after it is kept.
export async function openTranscriptRecorder(opts: TranscriptRecorderOptions): Promise<TranscriptRecorder> {
  const appender: JsonlAppender = await openJsonlAppender(opts.file);
  let seq = 0;
  let written = 0;
  let full = false;
  const cut = (detail: string): void => {
    if (full) return;
    full = true;
    appender.append({ truncated: true, detail } satisfies TranscriptLine);
  };
  return {
    begin(forwardedBody) {
      if (full) return undefined;
      const started = performance.now();
      const time = new Date().toISOString();
      const number = (seq += 1);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(forwardedBody).toString('utf8'));
      } catch {
        body = null;
      }
      const key = agentTurnOf(body);
      let status = 0;
      let contentType: string | null = null;
      let events: StreamEvent[] | null = null;
      const bodyChunks: Buffer[] = [];
      let held = forwardedBody.length;
      let over = false;
      const decoder = new TextDecoder();
      const parser = createParser({
        onEvent: (event) => {
          events?.push({ t_ms: Math.round(performance.now() - started), data: event.data });
        },
      });
      let ended = false;
      return {
        response(answerStatus, answerType) {
          status = answerStatus;
          contentType = answerType ?? null;
          if (isEventStream(answerType)) events = [];
        },
        chunk(bytes) {
          if (over) return;
          held += bytes.length;
          // Checked as the answer streams, so a huge answer is never held in memory past the cap.
          if (written + held > opts.maxBytes) {
            over = true;
            return;
          }
          if (events !== null) parser.feed(decoder.decode(bytes, { stream: true }));
          else bodyChunks.push(Buffer.from(bytes));
        },
        end() {
          if (ended || full) return;
          ended = true;
          const line: TranscriptLine = {
            seq: number,
            lane: opts.lane,
            agent: key.agent,
            turn: key.turn,
            time,
            request: { path: '/v1/chat/completions', body },
            response: {
              status,
              content_type: contentType,
              events,
              body: events === null ? Buffer.concat(bodyChunks).toString('utf8') : null,
              end_ms: Math.round(performance.now() - started),
            },
          };
          const size = Buffer.byteLength(JSON.stringify(line)) + 1;
          if (over || written + size > opts.maxBytes) {
            cut(`the transcript reached its cap of ${opts.maxBytes} bytes at request ${number} (${key.agent ?? '(no agent)'} turn ${key.turn}); later exchanges were not kept`);
            return;
          }
          written += size;
          appender.append(line);
        },
      };
    },
    close: () => appender.close(),
  };
}
