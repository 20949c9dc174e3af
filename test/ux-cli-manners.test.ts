import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, startProvider, withSandbox } from './support/cli.js';
import { admissionWith } from './support/ux-runs.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const COMMANDS = ['run', 'validate', 'graph', 'schema', 'verify', 'provider'];
const STACK_LINE = /\n\s+at /;
const ANSI = '\u001b[';
// The admission file blocks at config_checked, before the provider is ever asked: no server needed.
const UNUSED_PROVIDER = 'http://127.0.0.1:9/v1';

describe('case-route manners', () => {
  it.each(COMMANDS)('%s --help prints its usage on stdout and exits 0', async (command) => {
    const result = await runCli([command, '--help'], { PATH: process.env.PATH ?? '' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: case-route ${command}`));
    expect(result.stderr).toBe('');
  });

  it('lists every command in the main help, and help COMMAND is the same as COMMAND --help', async () => {
    const main = await runCli(['--help'], {});
    expect(main.exitCode).toBe(0);
    for (const command of COMMANDS) expect(main.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect((await runCli(['help', 'verify'], {})).stdout).toBe((await runCli(['verify', '--help'], {})).stdout);
  });

  it('--version prints the package version and nothing else', async () => {
    const result = await runCli(['--version'], {});
    expect(result).toMatchObject({ exitCode: 0, stdout: VERSION, stderr: '' });
  });

  it('a usage error says what is wrong in one line, points at --help and exits 64', async () => {
    for (const args of [['launch'], ['run', '--lane', 'fast'], ['graph', '--format', 'svg'], ['schema', 'config'], ['verify'], ['run', '--inspect-port', 'eighty']]) {
      const result = await runCli(args, {});
      expect(result.exitCode, args.join(' ')).toBe(64);
      expect(result.stderr).toMatch(/^case-route: .+ \(see case-route .*--help\)$/);
      expect(result.stdout).toBe('');
    }
  });

  it('an unexpected error is one line without --debug, and a stack trace with it', async () => {
    await withSandbox(UNUSED_PROVIDER, async (sandbox) => {
      const notADirectory = join(sandbox.dir, 'file');
      await writeFile(notADirectory, '');
      const plain = await runCli(['run', '--out', join(notADirectory, 'runs')], sandbox.env());
      expect(plain.exitCode).toBe(1);
      expect(plain.stderr).toContain('cannot create the run directory under --out (ENOTDIR)');
      expect(plain.stderr).not.toMatch(STACK_LINE);
      const debug = await runCli(['run', '--out', join(notADirectory, 'runs'), '--debug'], sandbox.env());
      expect(debug.exitCode).toBe(1);
      expect(debug.stderr).toMatch(STACK_LINE);
    });
  });

  it('progress goes to stderr and data to stdout', async () => {
    await withSandbox(UNUSED_PROVIDER, async (sandbox) => {
      const env = sandbox.env({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await admissionWith(sandbox, { admission_status: 'pending' }) });
      const quiet = await runCli(['run', '--out', sandbox.out], env);
      expect(quiet.exitCode).toBe(2);
      expect(quiet.stdout).toBe('');
      expect(quiet.stderr).toContain('case-route: state loading_decision');
      const json = await runCli(['run', '--out', sandbox.out, '--json'], env);
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'blocked', blocked_reason: 'admission_not_admitted' });
      const graph = await runCli(['graph'], env);
      expect(graph.stdout).toMatch(/^stateDiagram-v2/);
      expect(graph.stderr).toBe('');
    });
  });

  it('colours the verdict only when asked, and NO_COLOR always wins', async () => {
    await withSandbox(UNUSED_PROVIDER, async (sandbox) => {
      const admission = await admissionWith(sandbox, { admission_status: 'pending' });
      const run = (extra: Record<string, string>) => runCli(['run', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: admission, ...extra }));
      // Not a terminal: plain text unless FORCE_COLOR says otherwise.
      expect((await run({})).stderr).not.toContain(ANSI);
      expect((await run({ FORCE_COLOR: '1' })).stderr).toContain(`${ANSI}33mblocked`);
      const noColour = await run({ FORCE_COLOR: '1', NO_COLOR: '1' });
      expect(noColour.stderr).toContain('case-route: blocked: Case was not started');
      expect(noColour.stderr).toContain('case-route: reason: admission_not_admitted');
      expect(noColour.stderr).not.toContain(ANSI);
    });
  });

  it('says of a blocked run, in words, where it stopped, what was expected, what was found and the fix', async () => {
    await withSandbox(UNUSED_PROVIDER, async (sandbox) => {
      const admission = await admissionWith(sandbox, { admission_status: 'pending' });
      const run = await runCli(['run', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: admission }));
      expect(run.exitCode).toBe(2);
      const lines = run.stderr.split('\n');
      const at = lines.indexOf('case-route: reason: admission_not_admitted: admission_status is "pending"');
      expect(at).toBeGreaterThan(0);
      expect(lines.slice(at + 1, at + 5)).toEqual([
        'case-route: blocked while checking the admission, by the gate admissionIsAdmitted',
        'case-route: expected: the admission file says "admission_status": "admitted"',
        'case-route: found: admission_status is "pending"',
        'case-route: fix: the admission file must say "admitted": finish the model\'s admission first (the route reads that file and never writes it)',
      ]);
      const validated = await runCli(['validate'], sandbox.env({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: admission }));
      expect(validated.stderr).toContain('case-route: fix: the admission file must say "admitted"');
    });
  });

  it('suggests the command or option that was probably meant', async () => {
    const cases: Array<[string[], string]> = [
      [['valdiate'], 'unknown command "valdiate"; did you mean "validate"? (see case-route --help)'],
      [['rn'], 'unknown command "rn"; did you mean "run"? (see case-route --help)'],
      [['run', '--jsn'], 'unknown option --jsn; did you mean --json? (see case-route run --help)'],
      [['validate', '--fixtur', 'sum-bug'], 'unknown option --fixtur; did you mean --fixture? (see case-route validate --help)'],
      [['graph', '--formt', 'json'], 'unknown option --formt; did you mean --format? (see case-route graph --help)'],
      [['launch'], 'unknown command "launch" (see case-route --help)'],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, {});
      expect(result.exitCode, args.join(' ')).toBe(64);
      expect(result.stderr).toBe(`case-route: ${message}`);
    }
  });

  it('help UNKNOWN is a usage error; bare case-route prints the help on stderr and exits 64', async () => {
    const unknown = await runCli(['help', 'verfy'], {});
    expect(unknown).toMatchObject({ exitCode: 64, stdout: '', stderr: 'case-route: unknown command "verfy"; did you mean "verify"? (see case-route --help)' });
    const bare = await runCli([], {});
    expect(bare.exitCode).toBe(64);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toBe((await runCli(['--help'], {})).stdout);
  });

  it('--fixture with an unknown name lists the fixtures there are', async () => {
    await withSandbox(UNUSED_PROVIDER, async (sandbox) => {
      const provider = await startProvider();
      try {
        const result = await runCli(['validate', '--json', '--fixture', 'sum-bugs'], sandbox.env({ CTO_HARNESS_CASE_LOCAL_BASE_URL: provider.url }));
        expect(result.exitCode).toBe(2);
        const { blocked } = JSON.parse(result.stdout) as { blocked: { reason: string; detail: string } };
        expect(blocked.reason).toBe('fixture_invalid');
        expect(blocked.detail).toMatch(/^fixture "sum-bugs" does not exist; the fixtures are: (.+, )?sum-bug(, .+)?$/);
      } finally {
        await provider.close();
      }
    });
  });

  it('--debug adds the stack to a handled error too, such as a usage error', async () => {
    const plain = await runCli(['run', '--lane', 'fast'], {});
    expect(plain.stderr).not.toMatch(STACK_LINE);
    const debug = await runCli(['run', '--lane', 'fast', '--debug'], {});
    expect(debug.exitCode).toBe(64);
    expect(debug.stderr).toMatch(/^case-route: --lane is fake, real or replay, not "fast" \(see case-route run --help\)\n/);
    expect(debug.stderr).toMatch(STACK_LINE);
  });
});
