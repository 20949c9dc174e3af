import { homedir, tmpdir } from 'node:os';
import { createRedactor, secretValuesFromEnv, type PathLabel, type Redactor } from '../evidence/redact.js';
import { PROJECT_ROOT } from '../paths.js';

// What leaves the process while a run goes (to the inspector or the live view) is redacted like
// any artifact: secret values removed, paths of this machine replaced by labels. `paths` are the
// run's own places (its --out directory) to be named by label like the others.
export function createLiveRedactor(paths: readonly PathLabel[]): Redactor {
  return createRedactor(secretValuesFromEnv(process.env), [
    { path: tmpdir(), label: '<tmp>' },
    { path: PROJECT_ROOT, label: '<case-local-route>' },
    { path: process.cwd(), label: '<cwd>' },
    { path: homedir(), label: '~' },
    ...paths,
  ]);
}
