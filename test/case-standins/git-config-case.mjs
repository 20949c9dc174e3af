// Runs like Case, then leaves repository config and attributes that would make git run its own
// program while the harness reads the history: fsmonitor, an external diff, a textconv driver, a
// pager, signature checks. Each program fails loudly, so the run can only pass if none ran.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterCase, git, runFakeCase } from './lib.mjs';

afterCase(() => {
  const evil = join(process.cwd(), '..', 'bin', 'evil');
  writeFileSync(evil, '#!/bin/sh\necho EVIL >&2\nexit 7\n');
  chmodSync(evil, 0o755);
  writeFileSync('.gitattributes', '* diff=evil\n');
  git('add', '.gitattributes');
  git('commit', '-qm', 'attributes');
  for (const [key, value] of [
    ['core.fsmonitor', evil],
    ['core.pager', evil],
    ['diff.external', evil],
    ['diff.evil.textconv', evil],
    ['diff.evil.command', evil],
    ['log.showSignature', 'true'],
    ['gpg.program', evil],
  ]) {
    git('config', key, value);
  }
});
await runFakeCase();
