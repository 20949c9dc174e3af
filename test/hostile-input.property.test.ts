import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_REASON_CODES } from '../src/gates/reasons.js';
import type { ScriptedProvider } from '../src/scripted-provider/scripted-provider.js';
import { validateRoute } from '../src/run/route-api.js';
import { runCli, startProvider } from './support/cli.js';
import { admission as ADMISSION, decision as DECISION } from './support/route-samples.js';

// Hostile and look-alike input for every gate input. The property: the route never throws, never
// prints a stack trace, and either passes the gates with exactly the canonical values or blocks
// with a reason code from the table. PROPERTY_RUNS raises the count (npm run test:property).
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

let provider: ScriptedProvider;
let dir: string;
beforeAll(async () => {
  provider = await startProvider();
  dir = await mkdtemp(join(tmpdir(), 'case-route-property-'));
});
afterAll(async () => {
  await provider.close();
  await rm(dir, { recursive: true, force: true });
});

const CONFUSABLES: Record<string, string> = { a: '\u0430', e: '\u0435', o: '\u043e', i: '\u0456', c: '\u0441', p: '\u0440' };
const confusable = (text: string) => text.replace(/[aeoicp]/, (ch) => CONFUSABLES[ch] ?? ch);

// A canonical value, or one of the ways a person or an attacker gets it almost right.
function lookAlike(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 20, arbitrary: fc.constant(valid) },
    fc.constantFrom(valid.toUpperCase(), ` ${valid}`, `${valid} `, `${valid}\n`, `${valid}\u200b`, confusable(valid), '', valid.replace(/-/g, '_')),
    fc.string({ maxLength: 40 }),
  );
}

function record<T extends Record<string, string>>(canonical: T): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(Object.entries(canonical).map(([key, value]) => [key, lookAlike(value)]));
  return fc.record(fields as Record<string, fc.Arbitrary<string>>).chain((value) =>
    fc.oneof(
      { weight: 30, arbitrary: fc.constant(value) },
      fc.constant({ ...value, fallback_provider: 'anthropic' }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })).map((extra) => ({ ...extra, ...value })),
    ),
  );
}

// The bytes of the file: well-formed JSON most often, else a hostile shape of it.
function fileText(value: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  return value.chain((obj) => {
    const json = JSON.stringify(obj);
    return fc.oneof(
      { weight: 30, arbitrary: fc.constant(json) },
      fc.constant(`\uFEFF${json}`),
      fc.constant(json.replace(/^\{/, '{"admission_status":"rejected","decision_status":"rejected",')),
      fc.constant(`${'['.repeat(5000)}${']'.repeat(5000)}`),
      fc.constant(`{"a":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`),
      fc.constant(`{"pad":"${'x'.repeat(1024 * 1024 + 1)}"}`),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 60 }),
      fc.constant(json.slice(0, Math.floor(json.length / 2))),
    );
  });
}

const PORT_PLACEHOLDER = '{port}';
const baseUrl = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(`http://127.0.0.1:${PORT_PLACEHOLDER}`, `http://127.0.0.1:${PORT_PLACEHOLDER}/v1`, `http://localhost:${PORT_PLACEHOLDER}/v1`, `http://127.1:${PORT_PLACEHOLDER}`) },
  fc.constantFrom(
    `http://localhost.example.com:${PORT_PLACEHOLDER}`,
    `http://127.0.0.1.nip.io:${PORT_PLACEHOLDER}`,
    `http://0.0.0.0:${PORT_PLACEHOLDER}`,
    `http://user:pass@127.0.0.1:${PORT_PLACEHOLDER}`,
    `http://[::1]:${PORT_PLACEHOLDER}`,
    `ftp://127.0.0.1:${PORT_PLACEHOLDER}`,
    `file:///etc/passwd`,
    `http://127.0.0.1:${PORT_PLACEHOLDER}/?key=abc`,
    `http://\u0031\u0032\u0037.0.0.1:${PORT_PLACEHOLDER}`,
    `http://192.168.0.10:${PORT_PLACEHOLDER}`,
    `http://[::ffff:127.0.0.1]:${PORT_PLACEHOLDER}`,
    `  http://127.0.0.1:${PORT_PLACEHOLDER}  `,
    'http://',
    '',
  ),
  fc.webUrl(),
  fc.string({ maxLength: 30 }),
);

const input = fc.record({
  decision: fileText(record(DECISION)),
  admission: fileText(record({ ...ADMISSION })),
  provider: lookAlike(ADMISSION.provider),
  model: lookAlike(ADMISSION.model),
  baseUrl,
});

type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

async function writeInputs(sample: Input, id: string) {
  const decisionFile = join(dir, `${id}-decision.json`);
  const admissionFile = join(dir, `${id}-admission.json`);
  await writeFile(decisionFile, sample.decision);
  await writeFile(admissionFile, sample.admission);
  return {
    PATH: process.env.PATH ?? '',
    CTO_HARNESS_CASE_DECISION_FILE: decisionFile,
    CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: admissionFile,
    CTO_HARNESS_CASE_MODEL_PROVIDER: sample.provider,
    CTO_HARNESS_CASE_MODEL: sample.model,
    CTO_HARNESS_CASE_LOCAL_BASE_URL: sample.baseUrl.replaceAll(PORT_PLACEHOLDER, String(provider.port)),
  };
}

function parsedOrNull(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

describe('hostile input', () => {
  it(`never crashes; passes only the canonical inputs, else blocks with a reason code (${RUNS} runs)`, async () => {
    let counter = 0;
    const outcomes = { validated: 0, blocked: 0 };
    await fc.assert(
      fc.asyncProperty(input, async (sample) => {
        const env = await writeInputs(sample, String(counter++));
        const result = await validateRoute({ env, cwd: dir });
        const blocked = result.blocked;
        if (blocked) {
          outcomes.blocked += 1;
          expect(BLOCK_REASON_CODES).toContain(blocked.reason);
          expect(result.status).toBe('blocked');
          return;
        }
        expect(result.status).toBe('ready');
        outcomes.validated += 1;
        const decision = parsedOrNull(sample.decision);
        const admission = parsedOrNull(sample.admission);
        for (const key of Object.keys(DECISION) as Array<keyof typeof DECISION>) {
          if (key !== 'decided_by' && key !== 'decided_at') expect(decision?.[key]).toBe(DECISION[key]);
        }
        for (const key of ['work_id', 'provider', 'model', 'provider_class', 'admission_status'] as const) expect(admission?.[key]).toBe(ADMISSION[key]);
        expect([sample.provider, sample.model]).toEqual([ADMISSION.provider, ADMISSION.model]);
        expect(new URL(env.CTO_HARNESS_CASE_LOCAL_BASE_URL.trim()).hostname).toMatch(/^(127\.0\.0\.1|localhost)$/);
      }),
      { numRuns: RUNS },
    );
    // A generator that never produced a valid input would prove nothing about passing.
    expect(outcomes.validated).toBeGreaterThan(0);
    expect(outcomes.blocked).toBeGreaterThan(0);
  }, 600_000);

  it('the CLI answers hostile input with a reason, never a stack trace', async () => {
    const samples = fc.sample(input, { numRuns: 12, seed: 7 });
    for (const [index, sample] of samples.entries()) {
      const env = await writeInputs(sample, `cli-${index}`);
      const result = await runCli(['validate', '--json'], env);
      expect([0, 2]).toContain(result.exitCode);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      const outcome = JSON.parse(result.stdout) as { status: string; blocked: { reason: string } | null };
      if (outcome.status === 'blocked') expect(BLOCK_REASON_CODES).toContain(outcome.blocked?.reason);
      else expect(outcome.status).toBe('ready');
    }
  }, 120_000);
});
