import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, listTree, ROOT, runCli, useProvider, withSandbox } from './support/cli.js';
import { admissionWith, runInSandbox } from './support/ux-runs.js';

interface Statement {
  _type: string;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: string;
  predicate: {
    run: { status: string; run_id: string; case_process_started: boolean };
    decision_record: { work_id: string; sha256: string } | null;
    admission_file: { sha256: string } | null;
    case_config: Array<{ name: string; sha256: string }>;
    fixture_tree: { name: string; sha256: string } | null;
    report: { name: string; sha256: string };
  };
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const fileSha256 = async (file: string) => sha256(await readFile(file));

const provider = useProvider();

async function statementOf(runDir: string): Promise<{ text: string; statement: Statement }> {
  const text = await readFile(join(runDir, 'report.intoto.json'), 'utf8');
  return { text, statement: JSON.parse(text) as Statement };
}

describe('the attestation beside each report', () => {
  it('is an in-toto Statement v1 over every file of the run, recording the inputs, the Case config, the fixture and the report', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox);
      expect(run.report.status).toBe('pass');
      const { text, statement } = await statementOf(run.runDir);
      expect(statement._type).toBe('https://in-toto.io/Statement/v1');
      expect(statement.predicateType).toBe('urn:case-local-route:predicate:route-run:v1');

      const files = (await listTree(run.runDir)).filter((f) => f !== 'report.intoto.json').sort();
      expect(statement.subject.map((s) => s.name)).toEqual(files);
      expect(files).toEqual(expect.arrayContaining(['report.json', 'report.html', 'route.mmd', 'lanes/fake/adapter/config.json', 'lanes/fake/proxy-audit.jsonl']));
      for (const subject of statement.subject) expect(subject.digest.sha256, subject.name).toBe(await fileSha256(join(run.runDir, subject.name)));

      // The inputs are digested as the bytes the user gave, not as the harness re-read them.
      const { predicate } = statement;
      expect(predicate.run).toMatchObject({ status: 'pass', run_id: run.report.run_id, case_process_started: true });
      expect(predicate.decision_record).toEqual({ work_id: 'CTO-WORK-020', sha256: await fileSha256(join(EXAMPLES, 'decision.json')) });
      expect(predicate.admission_file).toEqual({ sha256: await fileSha256(join(EXAMPLES, 'admission.json')) });
      expect(predicate.fixture_tree).toEqual({ name: 'sum-bug', sha256: run.report.fixture?.tree_sha256 });
      expect(predicate.fixture_tree?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(predicate.case_config.map((c) => c.name)).toEqual(['lanes/fake/adapter/config.json', 'lanes/fake/adapter/models.json', 'lanes/fake/adapter/projects.json']);
      for (const config of predicate.case_config) expect(config.sha256).toBe(await fileSha256(join(run.runDir, config.name)));
      expect(predicate.report).toEqual({ name: 'report.json', sha256: await fileSha256(join(run.runDir, 'report.json')) });
      expect(text).not.toContain(sandbox.dir);
      expect(text).not.toContain(ROOT);
    }));

  it('verify says intact, then catches one changed byte and names the file', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox);
      const intact = await runCli(['verify', run.runDir], {});
      expect(intact.exitCode).toBe(0);
      expect(intact.stdout).toMatch(/^intact: \d+ file\(s\) checked against the attestation \(run .+, pass\)\nclaim: route validated on the fake lane — not Stage 2 evidence; CTO-WORK-020 stays blocked$/);

      const config = join(run.runDir, 'lanes', 'fake', 'adapter', 'config.json');
      const original = await readFile(config);
      const tampered = Buffer.from(original);
      const at = tampered.indexOf('qwen3.6-35b-a3b');
      tampered[at] = 'Q'.charCodeAt(0);
      await writeFile(config, tampered);
      const caught = await runCli(['verify', run.runDir], {});
      expect(caught.exitCode).toBe(1);
      expect(caught.stdout).toMatch(/^not intact: /);
      expect(caught.stdout).toContain('lanes/fake/adapter/config.json changed: sha256');
      expect(caught.stdout).toContain('predicate.case_config does not match the files');

      await writeFile(config, original);
      expect((await runCli(['verify', join(run.runDir, 'report.json')], {})).exitCode).toBe(0);
    }));

  it('verify prints the names a hostile attestation lists without their control characters', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox);
      const { statement } = await statementOf(run.runDir);
      // OSC 0 sets the terminal's title: a run directory from elsewhere must not drive the terminal.
      const subject = [...(statement.subject as unknown[]), { name: 'lanes/\u001b]0;pwned\u0007', digest: { sha256: '0'.repeat(64) } }];
      await writeFile(join(run.runDir, 'report.intoto.json'), JSON.stringify({ ...statement, subject }));
      const result = await runCli(['verify', run.runDir], {});
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toContain('lanes/?]0;pwned? is missing');
      expect(result.stdout + result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }));

  it('verify refuses a removed file, an added file and an edited report, as JSON when asked', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox);
      await rm(join(run.runDir, 'lanes', 'fake', 'egress.jsonl'));
      await writeFile(join(run.runDir, 'lanes', 'fake', 'note.txt'), 'added later\n');
      const report = await readFile(join(run.runDir, 'report.json'), 'utf8');
      await writeFile(join(run.runDir, 'report.json'), report.replace('"status": "pass"', '"status": "fail"'));
      const result = await runCli(['verify', '--json', run.runDir], {});
      expect(result.exitCode).toBe(1);
      const verdict = JSON.parse(result.stdout) as { intact: boolean; problems: string[] };
      expect(verdict.intact).toBe(false);
      expect(verdict.problems).toEqual(
        expect.arrayContaining([
          'lanes/fake/egress.jsonl is missing',
          'lanes/fake/note.txt is not covered by report.intoto.json',
          expect.stringMatching(/^report\.json changed: sha256 /),
          'predicate.run does not match the files',
        ]),
      );
    }));

  it('is written for a blocked run too, with no lane config to record', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await admissionWith(sandbox, { admission_status: 'pending' }) });
      expect(run.exitCode).toBe(2);
      const { statement } = await statementOf(run.runDir);
      expect(statement.subject.map((s) => s.name)).toEqual(['report.html', 'report.json', 'route.mmd']);
      expect(statement.predicate.run).toMatchObject({ status: 'blocked', case_process_started: false });
      expect(statement.predicate.case_config).toEqual([]);
      expect(statement.predicate.decision_record?.sha256).toBe(await fileSha256(join(EXAMPLES, 'decision.json')));
      expect((await runCli(['verify', run.runDir], {})).exitCode).toBe(0);
    }));

  it('verify without an attestation is not intact; without a directory it is a usage error', () =>
    withSandbox(provider.url, async (sandbox) => {
      const empty = await runCli(['verify', sandbox.dir], {});
      expect(empty.exitCode).toBe(1);
      expect(empty.stdout).toContain('report.intoto.json is missing');
      expect((await runCli(['verify'], {})).exitCode).toBe(64);
      expect((await runCli(['verify', join(sandbox.dir, 'nowhere')], {})).exitCode).toBe(1);
    }));
});
