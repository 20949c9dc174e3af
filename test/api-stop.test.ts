import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import { createRouteActor } from '../src/run/route-api.js';
import { listTree, makeSandbox, processesCarrying, ROOT, useProvider, waitFor } from './support/cli.js';

const provider = useProvider();

describe('stopping the route actor from a harness script', () => {
  it('kills the lane process tree, writes an aborted report and removes the workspace', async () => {
    const sandbox = await makeSandbox(provider.url);
    const marker = `case-route-hang-${nanoid(10)}`;
    // os.tmpdir() reads TMPDIR when called, so the run's workspace lands where the test looks.
    const previousTmp = process.env.TMPDIR;
    process.env.TMPDIR = sandbox.tmp;
    try {
      const env = sandbox.env({ CTO_HARNESS_CASE_COMMAND: `${process.execPath} ${join(ROOT, 'test', 'case-standins', 'hanging-case.mjs')} ${marker}` });
      const run = await createRouteActor({ lane: 'real', env, outDir: sandbox.out, cwd: sandbox.dir });
      run.actor.start();
      expect(await waitFor(() => processesCarrying(`${marker}-grandchild`).length > 0)).toBe(true);
      expect(run.actor.getSnapshot().value).toBe('case_process_started');
      expect((await listTree(sandbox.tmp)).length).toBeGreaterThan(0);
      run.actor.stop();
      const result = await run.done;
      expect(result.report?.status).toBe('aborted');
      expect(result.report?.case_process_started).toBe(true);
      expect(processesCarrying(marker)).toEqual([]);
      expect(await listTree(sandbox.tmp)).toEqual([]);
    } finally {
      if (previousTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmp;
      await sandbox.cleanup();
    }
  });
});
