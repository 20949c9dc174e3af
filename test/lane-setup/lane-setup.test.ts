import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildChildEnv, checkChildEnv } from '../../src/lane-setup/child-env.js';
import { caseModelLimits } from '../../src/lane-setup/context-window.js';
import { makeLaneDirs, type LaneDirs } from '../../src/lane-setup/lane-dirs.js';
import { checkAdapter, writeAdapter, type AdapterSpec } from '../../src/lane-setup/write-adapter.js';
import { startGhRecorder, type GhRecorder } from '../../src/proxy/gh-recorder.js';
import { ROOT } from '../support/cli.js';

const MODEL = 'qwen3.6-35b-a3b';
const TOKEN = 'case-route-lane-test-token';

let root: string;
let dirs: LaneDirs;
let spec: AdapterSpec;
let env: Record<string, string>;
let recorder: GhRecorder;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'case-route-adapter-'));
  dirs = (await makeLaneDirs(root, 'fake')).dirs;
  recorder = await startGhRecorder({ logFile: join(root, 'gh.jsonl') });
  spec = {
    dirs,
    model: MODEL,
    limits: caseModelLimits(32768),
    proxyBaseUrl: 'http://127.0.0.1:45678/v1',
    repoName: 'sum-bug',
    slug: 'sum-bug-stage2',
    branch: 'case-route/stage2',
    taskText: '# task\n',
    testCommand: 'node test/check.mjs',
    ghStandin: { node: process.execPath, script: join(ROOT, 'dist', 'src', 'lane-setup', 'gh-standin.js'), recorderUrl: recorder.url },
    caseCommand: [process.execPath, '--version'],
  };
  env = buildChildEnv({ PATH: process.env.PATH, CASE_MODEL_OVERRIDE: 'claude-opus', ANTHROPIC_API_KEY: 'x'.repeat(20) }, {
    dirs,
    laneToken: TOKEN,
    recordingProxyPort: 45678,
    egressProxyUrl: 'http://127.0.0.1:45679',
  });
  await writeAdapter(spec);
});
afterEach(async () => {
  await recorder.close();
  await rm(root, { recursive: true, force: true });
});

describe('the generated Case config is read back before start', () => {
  it('accepts what it wrote', async () => {
    expect(await checkAdapter(spec, env, TOKEN)).toMatchObject({ ok: true });
  });

  it("tells pi the server's window, with an answer budget of a quarter of it", async () => {
    const models = JSON.parse(await readFile(join(dirs.pi, 'models.json'), 'utf8'));
    expect(models.providers.openai.models[0]).toMatchObject({ id: MODEL, contextWindow: 32768, maxTokens: 8192 });
    expect(caseModelLimits(null)).toEqual({ contextWindow: 131072, maxTokens: 16384 });
    expect(caseModelLimits(16384)).toEqual({ contextWindow: 16384, maxTokens: 4096 });
  });

  it.each([
    ['a role left unpinned', 'config.json', (c: any) => delete c.models.reviewer, /models\.reviewer/],
    ['a role pinned elsewhere', 'config.json', (c: any) => (c.models.closer = { provider: 'anthropic', model: 'claude-sonnet-4-6' }), /models\.closer/],
    ['`models` misspelled', 'config.json', (c: any) => { c.modles = c.models; delete c.models; }, /shape Case reads/],
    ['a second provider in models.json', 'models.json', (m: any) => (m.providers.anthropic = m.providers.openai), /only the openai provider/],
    ['models.json pointing past the proxy', 'models.json', (m: any) => (m.providers.openai.baseUrl = 'http://127.0.0.1:8080/v1'), /recording proxy/],
    ['a context window other than the server stated', 'models.json', (m: any) => (m.providers.openai.models[0].contextWindow = 131072), /context window/],
  ])('refuses %s', async (_, file, change, detail) => {
    const path = join(file === 'models.json' ? dirs.pi : dirs.data, file);
    const value = JSON.parse(await readFile(path, 'utf8'));
    change(value);
    await writeFile(path, JSON.stringify(value));
    const check = await checkAdapter(spec, env, TOKEN);
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(detail);
  });

  it('refuses a config.json that is not JSON (Case would read it as {} and fall back)', async () => {
    await writeFile(join(dirs.data, 'config.json'), '{"models":');
    expect((await checkAdapter(spec, env, TOKEN)).ok).toBe(false);
  });

  it('refuses a child environment carrying an override or a provider key', () => {
    expect(checkChildEnv({ ...env, CASE_MODEL_OVERRIDE: 'claude-opus' }, TOKEN)).toMatch(/CASE_MODEL_OVERRIDE/);
    expect(checkChildEnv({ ...env, ANTHROPIC_API_KEY: 'k' }, TOKEN)).toMatch(/ANTHROPIC_API_KEY/);
    expect(checkChildEnv({ ...env, OPENAI_API_KEY: 'sk-real' }, TOKEN)).toMatch(/dummy token/);
  });

  it('never carries the parent override or keys into the child environment', () => {
    expect(env).not.toHaveProperty('CASE_MODEL_OVERRIDE');
    expect(env).not.toHaveProperty('ANTHROPIC_API_KEY');
    expect(env.OPENAI_API_KEY).toBe(TOKEN);
    expect(env.NO_PROXY).toBe('127.0.0.1:45678');
  });
});

describe('the gh stand-in', () => {
  const gh = (args: string[]) => execa(join(dirs.bin, 'gh'), args, { reject: false, env: { PATH: process.env.PATH ?? '' } });

  it('answers `gh pr create` with a local placeholder URL and records it', async () => {
    const result = await gh(['pr', 'create', '--title', 'fix', '--body', 'b']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^http:\/\/127\.0\.0\.1\//);
  });

  it('refuses everything else, and the harness records only the subcommand, outside the lane', async () => {
    for (const args of [['api', 'repos/workos/case/pulls'], ['pr', 'merge', '1'], ['auth', 'token']]) {
      const result = await gh(args);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('refused');
    }
    await gh(['pr', 'create', '--title', 'a secret title']);
    await recorder.close();
    const log = (await readFile(join(root, 'gh.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(log.map((entry) => [entry.command, entry.allowed])).toEqual([
      ['api repos/workos/case/pulls', false],
      ['pr merge', false],
      ['auth token', false],
      ['pr create', true],
    ]);
    expect(JSON.stringify(log)).not.toContain('secret title');
  });
});
