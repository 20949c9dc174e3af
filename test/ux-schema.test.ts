import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADMISSION_STATUSES, AdmissionSchema } from '../src/inputs/admission.js';
import { DecisionSchema } from '../src/inputs/decision.js';
import { schemaDocsCheck } from '../src/report/json-schemas.js';
import { ReportSchema } from '../src/report/report-schema.js';
import { ROOT, runCli } from './support/cli.js';

const NAMES = ['decision', 'admission', 'report'] as const;

async function printed(name: string): Promise<Record<string, unknown>> {
  const result = await runCli(['schema', name], {});
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('case-route schema', () => {
  it.each(NAMES)('%s: the committed copy under schemas/ is what the CLI prints (regenerate with npm run schemas)', async (name) => {
    const committed = JSON.parse(await readFile(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')) as unknown;
    expect(await printed(name)).toEqual(committed);
  });

  it('describes what the code enforces', async () => {
    const admission = (await printed('admission')) as { properties: { admission_status: { enum: string[] } }; required: string[] };
    expect(admission.properties.admission_status.enum).toEqual([...ADMISSION_STATUSES]);
    const report = (await printed('report')) as { $schema: string; required: string[] };
    expect(report.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(report.required.sort()).toEqual(Object.keys(ReportSchema.shape).sort());
  });

  it.each(NAMES)('%s: every field has a description and an example, and no description names a field that is not there', (name) => {
    expect(schemaDocsCheck(name), 'add or fix the entry in src/report/schema-docs.ts').toEqual({ undocumented: [], unknown: [] });
  });

  it.each(NAMES)('%s: every field printed carries its description and example, and the whole example is valid', async (name) => {
    const schema = await printed(name);
    const fields: string[] = [];
    const visit = (node: Record<string, unknown>, path: string) => {
      const shape = (node.anyOf as Array<Record<string, unknown>> | undefined)?.find((branch) => branch.type !== 'null') ?? node;
      for (const [key, child] of Object.entries((shape.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        fields.push(`${path}${key}`);
        expect(child.description, `${path}${key}`).toMatch(/\S/);
        expect(child.examples, `${path}${key}`).toHaveLength(1);
        visit(child, `${path}${key}.`);
      }
      if (shape.items) visit(shape.items as Record<string, unknown>, `${path}[].`);
    };
    visit(schema, '');
    expect(fields.length).toBeGreaterThanOrEqual(5);
    const [example] = schema.examples as unknown[];
    const rules = { decision: DecisionSchema, admission: AdmissionSchema, report: ReportSchema }[name];
    expect(z.safeParse(rules, example).error).toBeUndefined();
  });
});
