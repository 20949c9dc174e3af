import { execFileSync } from 'node:child_process';
import { mkfifo } from './support/mkfifo.js';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFixtureTree } from '../src/fixture/fixture-tree.js';
import { EXAMPLES, keptLaneFile, listTree, parseReport, ROOT, runCli, useProvider, withSandbox, type Sandbox } from './support/cli.js';
import { withTempFixture } from './support/temp-fixture.js';

const provider = useProvider();

const CANARIES = {
  ANTHROPIC_API_KEY: 'sk-ant-CANARY-anthropic-0000000001',
  OPENAI_API_KEY: 'sk-proj-CANARYopenaiCANARY00000000002',
  AWS_SECRET_ACCESS_KEY: 'CANARYawsSecretAccessKeyCANARY000000003',
  GITHUB_TOKEN: 'ghp_CANARYgithubTokenCANARY0000000000004',
  CTO_HARNESS_CASE_LOCAL_API_KEY: 'CANARY-local-upstream-key-000005',
};
const DECISION_CANARY = 'CANARY-decision-extra-field-000006';
const ADMISSION_CANARY = 'CANARY-admission-extra-field-000007';
const FIXTURE_CANARY = 'sk-proj-CANARYfixtureFileCANARY0000008';
const ALL_CANARIES = [...Object.values(CANARIES), DECISION_CANARY, ADMISSION_CANARY, FIXTURE_CANARY];

async function allText(dir: string): Promise<string> {
  const files = await listTree(dir);
  const texts = await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8').catch(() => '')));
  return texts.join('\n');
}

// Every git repository left in the kept workspace, with its whole history and every ref.
async function gitHistories(dir: string): Promise<string> {
  const repos = (await readdir(dir, { recursive: true })).filter((entry) => entry.endsWith('/.git') || entry === '.git');
  return repos.map((repo) => execFileSync('git', ['log', '-p', '--all'], { cwd: join(dir, repo, '..'), encoding: 'utf8' })).join('\n');
}

function expectNoCanary(where: string, text: string) {
  for (const canary of ALL_CANARIES) expect(text.includes(canary), `${canary} in ${where}`).toBe(false);
}

const withProviderSandbox = <T>(body: (sandbox: Sandbox) => Promise<T>) => withSandbox(provider.url, body);

describe('secrets never leak', () => {
  it('no canary reaches an artifact, the workspace or its git history, a child, or the CLI output', () =>
    withProviderSandbox(async (sandbox) => {
      const decision = JSON.parse(await readFile(join(EXAMPLES, 'decision.json'), 'utf8'));
      const admission = JSON.parse(await readFile(join(EXAMPLES, 'admission.json'), 'utf8'));
      const decisionFile = join(sandbox.dir, 'decision.json');
      const admissionFile = join(sandbox.dir, 'admission.json');
      await writeFile(decisionFile, JSON.stringify({ ...decision, operator_note: DECISION_CANARY }));
      await writeFile(admissionFile, JSON.stringify({ ...admission, issuer_token: ADMISSION_CANARY }));
      const result = await runCli(
        ['run', '--lane', 'real', '--json', '--keep-workspace', '--out', sandbox.out],
        sandbox.env({
          ...CANARIES,
          CTO_HARNESS_CASE_DECISION_FILE: decisionFile,
          CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: admissionFile,
          CTO_HARNESS_CASE_COMMAND: `${process.execPath} ${join(ROOT, 'test', 'case-standins', 'env-recording-case.mjs')}`,
        }),
      );
      const report = parseReport(result.stdout);
      expect(report.status).toBe('pass');
      expectNoCanary('CLI stdout/stderr', result.stdout + result.stderr);
      expectNoCanary('the run directory', await allText(sandbox.out));
      expectNoCanary('the kept workspace', await allText(sandbox.tmp));
      expectNoCanary('the workspace git history', await gitHistories(sandbox.tmp));
      const child = JSON.parse(await keptLaneFile(sandbox.tmp, 'real', 'case-record.json')) as { env: Record<string, string>; argv: string[] };
      expectNoCanary('the Case child environment and argv', JSON.stringify(child));
      expect(Object.keys(report.lanes)).toHaveLength(2);
    }));

  it('a fixture holding a secret-shaped value blocks before it is copied anywhere', () =>
    withTempFixture(
      (repo) => writeFile(join(repo, 'settings.env'), `OPENAI_API_KEY=${FIXTURE_CANARY}\n`),
      (name) =>
        withProviderSandbox(async (sandbox) => {
          const result = await runCli(['run', '--json', '--keep-workspace', '--fixture', name, '--out', sandbox.out], sandbox.env());
          expect(result.exitCode).toBe(2);
          const report = parseReport(result.stdout);
          expect(report.blocked_reason).toBe('fixture_invalid');
          expect(report.blocked_detail).toContain('settings.env');
          expectNoCanary('CLI output', result.stdout + result.stderr);
          expectNoCanary('the run directory', await allText(sandbox.out));
          expectNoCanary('the kept workspace', await allText(sandbox.tmp));
        }),
    ));

  it('a secret that reaches a lane log is redacted and counted', () =>
    withProviderSandbox(async (sandbox) => {
      // The lane token is a secret the child legitimately holds; the env-recording Case prints
      // nothing, so plant a known secret in the child's stderr through a parent value it echoes.
      const result = await runCli(
        ['run', '--lane', 'real', '--json', '--out', sandbox.out],
        sandbox.env({
          CTO_HARNESS_CASE_LOCAL_API_KEY: CANARIES.CTO_HARNESS_CASE_LOCAL_API_KEY,
          CTO_HARNESS_CASE_COMMAND: `${process.execPath} ${join(ROOT, 'test', 'case-standins', 'echo-secret-case.mjs')} ${CANARIES.CTO_HARNESS_CASE_LOCAL_API_KEY}`,
        }),
      );
      const report = parseReport(result.stdout);
      expect(report.redactions.count).toBeGreaterThan(0);
      expectNoCanary('the run directory', await allText(sandbox.out));
      expect(await allText(sandbox.out)).toContain('[REDACTED]');
    }));
});

describe('no path of this machine in any artifact', () => {
  it('names the workspace, the checkout and the home relatively', () =>
    withProviderSandbox(async (sandbox) => {
      const home = join(sandbox.dir, 'home');
      await mkdir(home);
      const result = await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out], sandbox.env({
        HOME: home,
        CTO_HARNESS_CASE_COMMAND: `${process.execPath} ${join(ROOT, 'test', 'case-standins', 'well-behaved-case.mjs')}`,
      }));
      expect(parseReport(result.stdout).status).toBe('pass');
      const artifacts = await allText(sandbox.out);
      for (const path of [ROOT, sandbox.tmp, home, join(EXAMPLES, 'fixtures', 'sum-bug')]) {
        expect(artifacts.includes(path), path).toBe(false);
        expect(result.stdout.includes(path), path).toBe(false);
      }
      expect(artifacts).toContain('<workspace>/lanes/real/repo');
    }));
});

describe('fixtures are artificial and copied', () => {
  const broken: Array<[string, (repo: string) => Promise<void>, RegExp]> = [
    ['a symlink', (repo) => symlink('/etc/passwd', join(repo, 'passwd')), /passwd is a symlink/],
    ['a symlinked directory', (repo) => symlink('..', join(repo, 'up')), /up is a symlink/],
    ['a FIFO', (repo) => mkfifo(join(repo, 'pipe')), /pipe is not a regular file/],
    ['a file over the size cap', (repo) => writeFile(join(repo, 'big.bin'), Buffer.alloc(5 * 1024 * 1024)), /larger than/],
    ['a .git directory', (repo) => mkdir(join(repo, '.git')), /\.git is not allowed/],
  ];

  it.each(broken)('a fixture with %s is refused with fixture_invalid', (_, change, detail) =>
    withTempFixture(change, (name) =>
      withProviderSandbox(async (sandbox) => {
        const result = await runCli(['run', '--json', '--fixture', name, '--out', sandbox.out], sandbox.env());
        expect(result.exitCode).toBe(2);
        const report = parseReport(result.stdout);
        expect(report.blocked_reason).toBe('fixture_invalid');
        expect(report.blocked_detail).toMatch(detail);
      }),
    ),
  );

  it.each(['../../etc', '/etc', 'sum-bug/../sum-bug', 'Sum-Bug', 'no-such-fixture'])('--fixture %s is refused: only names under examples/fixtures', (fixture) =>
    withProviderSandbox(async (sandbox) => {
      const result = await runCli(['run', '--json', '--fixture', fixture, '--out', sandbox.out], sandbox.env());
      expect(result.exitCode).toBe(2);
      expect(parseReport(result.stdout).blocked_reason).toBe('fixture_invalid');
    }),
  );

  it('the copy is a fresh git repository and the source is never modified', () =>
    withProviderSandbox(async (sandbox) => {
      const source = join(EXAMPLES, 'fixtures', 'sum-bug', 'repo');
      const before = await readFixtureTree(source);
      const result = await runCli(['run', '--json', '--keep-workspace', '--out', sandbox.out], sandbox.env());
      const report = parseReport(result.stdout);
      expect(report.status).toBe('pass');
      const after = await readFixtureTree(source);
      expect(after.ok && before.ok && after.sha256 === before.sha256).toBe(true);
      expect(report.fixture?.tree_sha256).toBe(before.ok ? before.sha256 : null);
      const [workspace] = await readdir(sandbox.tmp);
      const repo = join(sandbox.tmp, workspace!, 'lanes', 'fake', 'repo');
      const log = execFileSync('git', ['log', '--format=%s', '--all'], { cwd: repo, encoding: 'utf8' }).trim().split('\n');
      expect(log.at(-1)).toBe('fixture: initial state');
      expect(execFileSync('git', ['remote'], { cwd: repo, encoding: 'utf8' }).trim()).toBe('');
    }));
});
