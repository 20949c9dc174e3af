import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The same code runs from src/ under vitest and from dist/src/ under node, so the project root
// is found by its package.json rather than by a fixed number of `..`.
function findProjectRoot(from: string): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'case-local-route') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('case-local-route: cannot find the project root');
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
export const FIXTURES_DIR = join(PROJECT_ROOT, 'examples', 'fixtures');
// Child entry points always run from the build, so a lane never needs a TypeScript loader.
export const DIST_SRC = join(PROJECT_ROOT, 'dist', 'src');
