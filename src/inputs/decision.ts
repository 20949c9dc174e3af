import { z } from './zod-mini.js';
import { readJsonInput, type JsonInput } from './json-input.js';

// Status and class are plain strings here so that a wrong value reaches its own gate and reason
// code instead of being folded into decision_invalid.
export const DecisionSchema = z.looseObject({
  work_id: z.string().check(z.minLength(1)),
  decision_status: z.string().check(z.minLength(1)),
  provider_class: z.string().check(z.minLength(1)),
  provider: z.string().check(z.minLength(1)),
  model: z.string().check(z.minLength(1)),
  decided_by: z.string().check(z.minLength(1)),
  decided_at: z.string().check(z.minLength(1)),
});

export type Decision = z.infer<typeof DecisionSchema>;

export function loadDecisionFile(path: string): Promise<JsonInput<Decision>> {
  return readJsonInput(path, DecisionSchema);
}
