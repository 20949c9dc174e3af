import { z } from 'zod';
import { REFUSAL_STATUS, type RefusalReason } from '../proxy/proxy-rules.js';
import { readJsonl } from './jsonl-reader.js';

const REFUSAL_REASONS = Object.keys(REFUSAL_STATUS) as [RefusalReason, ...RefusalReason[]];

// One line of a lane's proxy-audit.jsonl: what the recording proxy saw of one request.
const AuditRecordSchema = z.strictObject({
  time: z.iso.datetime(),
  method: z.string(),
  path: z.string(),
  model: z.string().nullable(),
  status: z.number().int(),
  bytes_in: z.number().int().nonnegative(),
  bytes_out: z.number().int().nonnegative(),
  latency_ms: z.number().nonnegative(),
  streamed: z.boolean(),
  refused: z.enum(REFUSAL_REASONS).nullable(),
  // 0 for a refused request; 2 when a reused connection had been closed by the upstream and the
  // request went again on a new one.
  upstream_attempts: z.number().int().min(0).max(2),
  // A failure of the local server (no answer, an answer cut off, an error status): recorded as
  // what it is, not as a refusal. The request was forwarded as Case sent it.
  upstream_error: z
    .strictObject({
      kind: z.enum(['connection', 'cut', 'status', 'context_exceeded']),
      code: z.string(),
      prompt_tokens: z.number().int().nonnegative().nullable(),
      context_tokens: z.number().int().nonnegative().nullable(),
    })
    .nullable(),
  // From the request's arrival to the first byte of the answer; null when none came.
  ttft_ms: z.number().nonnegative().nullable(),
  // What the server said the answer cost (`usage`, in a JSON answer or a stream's include_usage
  // chunk); null when it did not say, never 0 for unknown.
  prompt_tokens: z.number().int().nonnegative().nullable(),
  completion_tokens: z.number().int().nonnegative().nullable(),
  // `server`: the server's own decode speed (llama.cpp `timings.predicted_per_second`);
  // `proxy`: completion tokens over the stream's first to last byte.
  tokens_per_second: z.number().nonnegative().nullable(),
  tokens_per_second_source: z.enum(['server', 'proxy']).nullable(),
});

export type AuditRecord = z.infer<typeof AuditRecordSchema>;

export function readAudit(auditFile: string): Promise<AuditRecord[]> {
  return readJsonl(auditFile, AuditRecordSchema);
}
