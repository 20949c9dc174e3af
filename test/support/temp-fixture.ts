import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { EXAMPLES } from './cli.js';

// Fixtures are only ever taken by name from examples/fixtures, so a test that needs a broken one
// makes a uniquely named copy there (ignored by git) and removes it afterwards.
export async function withTempFixture<T>(change: (repoDir: string) => Promise<void>, body: (name: string) => Promise<T>): Promise<T> {
  const name = `test-tmp-${nanoid(8).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const root = join(EXAMPLES, 'fixtures', name);
  await cp(join(EXAMPLES, 'fixtures', 'sum-bug'), root, { recursive: true });
  try {
    await change(join(root, 'repo'));
    return await body(name);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
