import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';

// What made an artifact: named in the attestation and the HTML report, printed by --version.
export const GENERATOR = {
  name: 'case-local-route',
  version: (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
} as const;
