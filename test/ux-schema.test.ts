import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMISSION_STATUSES } from '../src/inputs/admission.js';
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
});
