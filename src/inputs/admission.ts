import { z } from './zod-mini.js';
import { readJsonInput, type JsonInput } from './json-input.js';

export const ADMISSION_STATUSES = ['admitted', 'pending', 'rejected', 'revoked'] as const;

// Owned by CTO-WORK-020: the route reads it and never writes it. Extra fields are kept so the
// fallback gate can see them.
export const AdmissionSchema = z.looseObject({
  work_id: z.string().check(z.minLength(1)),
  provider: z.string().check(z.minLength(1)),
  model: z.string().check(z.minLength(1)),
  provider_class: z.string().check(z.minLength(1)),
  admission_status: z.enum(ADMISSION_STATUSES),
});

export type Admission = z.infer<typeof AdmissionSchema>;

export function loadAdmissionFile(path: string): Promise<JsonInput<Admission>> {
  return readJsonInput(path, AdmissionSchema);
}
