import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTranscript } from '../src/evidence/transcript.js';
import { startScriptedProvider, type ScriptedProvider } from '../src/scripted-provider/scripted-provider.js';
import { MODEL, parseReport, runCli, SUM_BUG_SCRIPT, withSandbox } from './support/cli.js';

// Attacks found by an adversarial review of the transcript and record/replay (issue 14): a secret
// the lane saw (a tool logged it) that the model then repeats. A model streams its answer a few
// characters at a time, so the secret crosses the stream's events; each event alone holds only
// a piece of it.

const CANARY = 'CANARY-local-upstream-key-000005';

// The scripted provider streams a content answer in three pieces: the secret is put where the
// first cut falls, as a model's token boundaries would fall anywhere.
function retrospectiveSaying(secret: string): string {
  const [original] = SUM_BUG_SCRIPT.roles['retrospective']!;
  const text = (original as { content: string }).content;
  for (let pad = 0; pad < 400; pad += 1) {
    const content = text.replace('"summary":"', `"summary":"the key was ${secret} ${'.'.repeat(pad)}`);
    const size = Math.ceil(Array.from(content).length / 3);
    const at = content.indexOf(secret);
    if (at < size && at + secret.length > size) return content;
  }
  throw new Error('no split found');
}

let provider: ScriptedProvider;
beforeAll(async () => {
  provider = await startScriptedProvider({
    model: MODEL,
    script: { roles: { ...SUM_BUG_SCRIPT.roles, retrospective: [{ content: retrospectiveSaying(CANARY) }] } },
  });
});
afterAll(() => provider.close());

// What a reader of transcript.jsonl gets back by joining each streamed answer's content deltas.
function answersOf(text: string): string {
  return parseTranscript(text, 'transcript.jsonl')
    .exchanges.flatMap((exchange) => exchange.response.events ?? [])
    .map((event) => {
      try {
        return (JSON.parse(event.data) as { choices?: Array<{ delta?: { content?: string } }> }).choices?.[0]?.delta?.content ?? '';
      } catch {
        return '';
      }
    })
    .join('');
}

describe('a secret the model repeats in a streamed answer', () => {
  it('is not in transcript.jsonl, whole or in pieces, nor in a fixture made from the run', () =>
    withSandbox(provider.url, async (sandbox) => {
      const env = sandbox.env({ CTO_HARNESS_CASE_LOCAL_API_KEY: CANARY });
      const result = await runCli(['run', '--json', '--out', sandbox.out], env);
      const report = parseReport(result.stdout);
      expect(report.status, result.stderr).toBe('pass');
      const runDir = join(sandbox.out, report.run_id);
      const transcript = await readFile(join(runDir, 'lanes', 'fake', 'transcript.jsonl'), 'utf8');
      // The model did say it: its answer reached the transcript.
      expect(answersOf(transcript)).toContain('the key was ');
      expect(transcript.includes(CANARY), 'the secret whole').toBe(false);
      expect.soft(answersOf(transcript).includes(CANARY), 'the secret joined from the stream').toBe(false);

      const fixtureDir = join(sandbox.dir, 'from-run');
      const made = await runCli(['fixture', 'from-run', runDir, 'from-run', '--out', fixtureDir], env);
      expect(made.exitCode, made.stderr).toBe(0);
      const script = await readFile(join(fixtureDir, 'model-script.json'), 'utf8');
      expect(script).toContain('the key was ');
      expect(script.includes(CANARY), 'the secret in model-script.json').toBe(false);
    }), 180_000);
});
