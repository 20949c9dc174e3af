import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL, ROOT, useProvider } from './support/cli.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const SNIPPET_MARK = '<!-- test/package.test.ts runs this block';

// The README's Programmatic API block, as a reader copies it.
function readmeSnippet(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- test\/package\.test\.ts runs this block[^\n]*-->\n```js\n([\s\S]*?)\n```/.exec(readme);
  if (!block) throw new Error(`README.md has no js block after "${SNIPPET_MARK}"`);
  return `${block[1]}\n`;
}

// npm, as a user runs it: not inside `npm test`'s lifecycle, whose npm_* variables would point the
// child at this checkout.
function npmEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !/^(npm_config_local_prefix|npm_package_|npm_lifecycle_|INIT_CWD$)/.test(entry[0]),
    ),
  );
}

const provider = useProvider();
let work: string;
let tarball: string;
let packed: string[];
let consumer: string;
let typecheck: ReturnType<typeof inConsumer>;

function inConsumer(file: string, args: string[], env: Record<string, string | undefined> = {}) {
  return execa(file, args, { cwd: consumer, env: { ...npmEnv(), ...env }, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
}

// The documented environment, with the input files the installed package ships.
function routeEnv(): Record<string, string> {
  const examples = join(consumer, 'node_modules', 'case-local-route', 'examples');
  return {
    CTO_HARNESS_CASE_DECISION_FILE: join(examples, 'decision.json'),
    CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: join(examples, 'admission.json'),
    CTO_HARNESS_CASE_MODEL_PROVIDER: 'qwen-local',
    CTO_HARNESS_CASE_MODEL: MODEL,
    CTO_HARNESS_CASE_LOCAL_BASE_URL: provider.url,
  };
}

async function writeConsumerProject(): Promise<void> {
  await writeFile(join(consumer, 'readme.ts'), readmeSnippet());
  await writeFile(
    join(consumer, 'consumer.ts'),
    [
      "import { BLOCK_REASONS, RouteOptionsError, validateRoute, type Report, type RouteOptions, type RouteValidation } from 'case-local-route';",
      "const options: RouteOptions = { lane: 'real', fixture: 'sum-bug', timeoutMs: 60_000, env: { CTO_HARNESS_CASE_MODEL: 'm' }, onState: (visit) => visit.at };",
      'const validation: RouteValidation = await validateRoute(options);',
      'const reason: string | undefined = validation.blocked ? BLOCK_REASONS[validation.blocked.reason] : undefined;',
      "const status: Report['status'] | undefined = validation.status === 'ready' ? undefined : 'blocked';",
      'export const seen = [reason, status, new RouteOptionsError("x").name];',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: false }, files: ['consumer.ts', 'readme.ts'] }),
  );
}

// A fresh checkout has no dist/: the files git would give a clone (tracked, and new files not yet
// ignored) are copied apart, with this checkout's node_modules, and packed there, so the build
// that `npm pack` runs never touches the dist/ the other tests use.
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'case-route-package-'));
  const checkout = join(work, 'checkout');
  const listed = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
  for (const file of String(listed.stdout).split('\0').filter(Boolean)) {
    if (existsSync(join(ROOT, file))) await cp(join(ROOT, file), join(checkout, file), { recursive: true });
  }
  expect(existsSync(join(checkout, 'dist'))).toBe(false);
  await symlink(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
  const pack = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: checkout, env: npmEnv(), extendEnv: false, stdin: 'ignore' });
  const [info] = JSON.parse(String(pack.stdout).slice(String(pack.stdout).indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info!.filename);
  packed = info!.files.map((file) => file.path);

  consumer = join(work, 'consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: consumer, env: npmEnv(), extendEnv: false, stdin: 'ignore' });
  // The slowest check (tsc reads every declaration file zod and xstate ship, as a consumer's
  // compiler does without skipLibCheck) runs while the other tests use the install.
  await writeConsumerProject();
  typecheck = inConsumer(process.execPath, [TSC, '-p', '.']);
}, 240_000);

afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

describe('the package as a user installs it', () => {
  it('packs its build from a fresh checkout: the CLI, the library and its types', () => {
    for (const file of ['dist/bin/case-route.mjs', 'dist/src/index.js', 'dist/src/index.d.ts', 'examples/fixtures/sum-bug/fixture.json', 'schemas/report.schema.json', 'LICENSE']) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((file) => file.startsWith('test/') || file.startsWith('src/'))).toEqual([]);
  });

  it('runs its own bin with npx --no-install, never one from the registry, and the route from it', async () => {
    const version = await inConsumer('npx', ['--no-install', 'case-route', '--version']);
    expect(version).toMatchObject({ exitCode: 0, stdout: VERSION });
    const help = await inConsumer('npx', ['--no-install', 'case-route', 'validate', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: case-route validate/);
    // The link npm made is what npx found: the whole fake-lane route from the installed files.
    const run = await inConsumer(join(consumer, 'node_modules', '.bin', 'case-route'), ['run', '--out', 'bin-runs'], routeEnv());
    expect(run.stderr).toMatch(/^case-route: pass: route validated on the fake lane — not Stage 2 evidence; CTO-WORK-020 stays blocked$/m);
    expect(run.exitCode).toBe(0);
  });

  it("runs the README's Programmatic API block as written, from the installed package", async () => {
    await writeFile(join(consumer, 'readme.mjs'), readmeSnippet());
    const result = await inConsumer(process.execPath, ['readme.mjs'], routeEnv());
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = String(result.stdout).split('\n');
    expect(lines[0]).toBe('ready: loading_decision -> decision_loaded -> config_checked -> admission_matched -> provider_verified -> validated');
    expect(lines[1]).toMatch(/^pass: run \S+, no_fallback true: route validated on the fake lane — not Stage 2 evidence; CTO-WORK-020 stays blocked$/);
    expect(lines).toContain('state case_process_started');
    expect(lines.at(-1)).toMatch(/^pass: run \S+$/);
    expect(await readdir(join(consumer, 'runs'))).toHaveLength(2);
  });

  it('type-checks a strict TypeScript consumer, the README block included, without @types/node', async () => {
    expect(existsSync(join(consumer, 'node_modules', '@types', 'node'))).toBe(false);
    const tsc = await typecheck;
    expect(tsc.stdout).toBe('');
    expect(tsc.exitCode).toBe(0);
  });
});
