import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import { AdmissionSchema } from '../inputs/admission.js';
import { DecisionSchema } from '../inputs/decision.js';
import { ReportSchema } from './report-schema.js';
import { SCHEMA_DOCS, type FieldDoc } from './schema-docs.js';

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

type JsonSchemaNode = Record<string, unknown> & {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
};

// The node that holds a field's own fields: the field itself, or the non-null side of a nullable one.
function shapeOf(node: JsonSchemaNode): JsonSchemaNode {
  return node.anyOf?.find((branch) => branch.type !== 'null') ?? node;
}

// Writes each field's description and example into the generated schema, and returns the
// example of the node (assembled from its fields' where it has no example of its own). Paths
// with no entry in the docs are collected, and the docs' paths found are marked used.
function annotate(node: JsonSchemaNode, path: string, docs: Readonly<Record<string, FieldDoc>>, seen: Set<string>, undocumented: string[]): unknown {
  const shape = shapeOf(node);
  let assembled: unknown;
  if (shape.properties) {
    const example: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(shape.properties)) {
      const childPath = path ? `${path}.${key}` : key;
      const doc = docs[childPath];
      seen.add(childPath);
      if (!doc) undocumented.push(childPath);
      const childExample = annotate(child, childPath, docs, seen, undocumented);
      const own = doc && 'example' in doc ? doc.example : childExample;
      Object.assign(child, doc ? { description: doc.description } : {}, own === undefined ? {} : { examples: [own] });
      example[key] = own;
    }
    assembled = example;
  } else if (shape.items) {
    const item = annotate(shape.items, `${path}[]`, docs, seen, undocumented);
    assembled = item === undefined ? undefined : [item];
  }
  return assembled;
}

export interface SchemaDocsCheck {
  readonly undocumented: readonly string[];
  readonly unknown: readonly string[];
}

function generate(name: SchemaName): { schema: Record<string, unknown>; check: SchemaDocsCheck } {
  const { schema, title, description } = SOURCES[name];
  const { $schema, ...body } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonSchemaNode;
  const docs = SCHEMA_DOCS[name];
  const seen = new Set<string>();
  const undocumented: string[] = [];
  const example = annotate(body, '', docs, seen, undocumented);
  return {
    schema: { $schema, $id: `urn:case-local-route:schema:${name}`, title, description, ...body, examples: [example] },
    check: { undocumented, unknown: Object.keys(docs).filter((path) => !seen.has(path)) },
  };
}

// Generated from the zod schemas the code parses with, so the published schema is the one
// enforced, with a description and an example for every field and a whole example record.
export function jsonSchemaFor(name: SchemaName): Record<string, unknown> {
  return generate(name).schema;
}

// Fields without docs, and docs that name no field: both should be empty.
export function schemaDocsCheck(name: SchemaName): SchemaDocsCheck {
  return generate(name).check;
}
