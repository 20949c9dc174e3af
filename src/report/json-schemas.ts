import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import { AdmissionSchema } from '../inputs/admission.js';
import { DecisionSchema } from '../inputs/decision.js';
import { ReportSchema } from './report-schema.js';

export const SCHEMA_NAMES = ['decision', 'admission', 'report'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

const SOURCES: Record<SchemaName, { schema: $ZodType; title: string; description: string }> = {
  decision: {
    schema: DecisionSchema,
    title: 'CTO-WORK-020 decision record',
    description: 'Read from CTO_HARNESS_CASE_DECISION_FILE. Extra fields are allowed and ignored.',
  },
  admission: {
    schema: AdmissionSchema,
    title: 'Model admission file',
    description:
      'Read from CTO_HARNESS_CASE_MODEL_ADMISSION_FILE, never written. Extra fields are allowed; a field whose name contains "fallback" with a non-empty value blocks the run.',
  },
  report: {
    schema: ReportSchema,
    title: 'case-route run report',
    description: 'Written to <out>/<run_id>/report.json by every run, blocked runs included.',
  },
};

// Generated from the zod schemas the code parses with, so the published schema is the one enforced.
export function jsonSchemaFor(name: SchemaName): Record<string, unknown> {
  const { schema, title, description } = SOURCES[name];
  const { $schema, ...body } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  return { $schema, $id: `urn:case-local-route:schema:${name}`, title, description, ...body };
}
