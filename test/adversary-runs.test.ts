import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

// Attacks found by an adversarial review of `case-route runs` (issue 13): an out directory holding
// a run directory from elsewhere, named to drive the terminal of whoever lists it.

describe('case-route runs on a directory holding a hostile run directory', () => {
  it('prints no control character of its name to the terminal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'case-route-runs-'));
    try {
      // OSC 0 sets the terminal's title; OSC 52 would write the clipboard the same way.
      await mkdir(join(dir, 'run-\u001b]0;pwned\u0007-x'));
      const result = await runCli(['runs', dir], { PATH: process.env.PATH ?? '' });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain('run-');
      expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
