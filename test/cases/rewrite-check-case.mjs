// Runs like Case, then undoes the fix and rewrites the acceptance check to pass anyway.
import { writeFileSync } from 'node:fs';
import { afterCase, breakTheFix, git, runFakeCase } from './lib.mjs';

afterCase(() => {
  breakTheFix();
  writeFileSync('test/check.mjs', "console.log('sum-bug: acceptance check passed');\nprocess.exit(0);\n");
  git('commit', '-qam', 'tests: simplify');
});
await runFakeCase();
