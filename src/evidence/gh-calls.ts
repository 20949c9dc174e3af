import { z } from 'zod';
import { readJsonl } from './jsonl-reader.js';

// One line of a lane's gh.jsonl: a `gh` subcommand the lane ran and whether the recorder allowed it.
const GhCallSchema = z.strictObject({ time: z.iso.datetime(), command: z.string(), allowed: z.boolean() });

export type GhCall = z.infer<typeof GhCallSchema>;

export function readGhCalls(logFile: string): Promise<GhCall[]> {
  return readJsonl(logFile, GhCallSchema);
}
