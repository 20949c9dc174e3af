import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRouteActor } from '../src/run/run-route.js';
import { isAlive, listTree, makeSandbox, ROOT, useProvider } from './support/cli.js';

const provider = useProvider();

describe('stopping the route actor from a harness script', () => {
  it('kills the lane process tree, writes an aborted report and removes the workspace', async () => {
    const sandbox = await makeSandbox(provider.url);
    // Every path in a Case command must exist before the run, so the file the stand-in writes to
    // is created empty first.
    const pids = join(sandbox.dir, 'pids.json');
    writeFileSync(pids, '');
    // os.tmpdir() reads TMPDIR when called, so the run's workspace lands where the test looks.
    const previousTmp = process.env.TMPDIR;
    process.env.TMPDIR = sandbox.tmp;
    try {
      const env = sandbox.env({ CTO_HARNESS_CASE_COMMAND: `${process.execPath} ${join(ROOT, 'test', 'cases', 'hanging-case.mjs')} ${pids}` });
      const run = await createRouteActor({ lane: 'real', env, outDir: sandbox.out, cwd: sandbox.dir });
      run.actor.start();
      for (let i = 0; i < 200 && statSync(pids).size === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(run.actor.getSnapshot().value).toBe('case_process_started');
      expect((await listTree(sandbox.tmp)).length).toBeGreaterThan(0);
      run.actor.stop();
      const result = await run.done;
      expect(result.report?.status).toBe('aborted');
      expect(result.report?.case_process_started).toBe(true);
      const { case: casePid, grandchild } = JSON.parse(readFileSync(pids, 'utf8')) as { case: number; grandchild: number };
      expect([isAlive(casePid), isAlive(grandchild)]).toEqual([false, false]);
      expect(await listTree(sandbox.tmp)).toEqual([]);
    } finally {
      if (previousTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmp;
      await sandbox.cleanup();
    }
  });
});
