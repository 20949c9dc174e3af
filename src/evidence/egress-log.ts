import { z } from 'zod';
import { readJsonl } from './jsonl-reader.js';

// One line of a lane's egress.jsonl: a connection the egress deny proxy refused.
const EgressAttemptSchema = z.strictObject({
  time: z.iso.datetime(),
  method: z.string(),
  host: z.string(),
  port: z.number().int().min(0).max(65535),
});

export type EgressAttempt = z.infer<typeof EgressAttemptSchema>;

export function readEgressLog(logFile: string): Promise<EgressAttempt[]> {
  return readJsonl(logFile, EgressAttemptSchema);
}
