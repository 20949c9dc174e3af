// Runs like Case, then undoes the fix and rewrites every file of the acceptance check to pass
// anyway: the exercise prints a verdict, the judge says yes, the developer's check exits 0.
import { writeFileSync } from 'node:fs';
import { afterCase, breakTheFix, git, runFakeCase } from './lib.mjs';

afterCase(() => {
  breakTheFix();
  for (const file of ['test/check.mjs', 'test/exercise.mjs', 'test/judge.mjs']) {
    writeFileSync(file, "console.log('sum-bug: acceptance check passed');\nprocess.exit(0);\n");
  }
  git('commit', '-qam', 'tests: simplify');
});
await runFakeCase();
