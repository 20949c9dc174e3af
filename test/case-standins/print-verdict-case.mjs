// Runs like Case, then puts the subtracting sum() back behind two lines that run when the check's
// child process imports it: they print the results the check expects (its cases are in the
// lane's own copy of test/check.mjs) and exit before sum() is ever called.
import { writeFileSync } from 'node:fs';
import { afterCase, git, runFakeCase } from './lib.mjs';

afterCase(() => {
  writeFileSync('src/sum.mjs', "process.stdout.write('[5,0,42]');\nprocess.exit(0);\nexport function sum(a, b) {\n  return a - b;\n}\n");
  git('commit', '-qam', 'sum: tidy');
});
await runFakeCase();
