// Runs like Case, then undoes the fix and plants its own `node` and `git` first on the lane's
// PATH: a `node` that says every check passed, a `git` that fails (if the harness ran it, the
// history would be unreadable and the run would fail for that instead).
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterCase, breakTheFix, git, runFakeCase } from './lib.mjs';

afterCase(() => {
  breakTheFix();
  git('commit', '-qam', 'revert');
  const bin = process.env.PATH.split(':')[0];
  writeFileSync(join(bin, 'node'), "#!/bin/sh\necho 'sum-bug: acceptance check passed'\nexit 0\n");
  writeFileSync(join(bin, 'git'), '#!/bin/sh\nexit 3\n');
  chmodSync(join(bin, 'node'), 0o755);
  chmodSync(join(bin, 'git'), 0o755);
});
await runFakeCase();
