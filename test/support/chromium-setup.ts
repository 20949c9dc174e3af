import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import type { TestProject } from 'vitest/node';
import { ROOT } from './cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

const CACHE = join(ROOT, 'node_modules', '.cache');
// The package does not export its package.json.
const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@sparticuz', 'chromium', 'package.json'), 'utf8')) as { version: string };
const UNPACKED = join(CACHE, `sparticuz-chromium-${version}`);

// @sparticuz/chromium ships Chromium brotli-packed inside the npm package and unpacks it into
// os.tmpdir(), trusting whatever file already sits at <tmpdir>/chromium: a half-written one from
// an interrupted unpack, or another project's other version. It is unpacked once per run, here,
// into a staging directory that is renamed into place whole, so a binary at UNPACKED is complete
// and of this package's version.
async function unpackChromium(): Promise<string> {
  const binary = join(UNPACKED, 'chromium');
  if (existsSync(binary)) return binary;
  await mkdir(CACHE, { recursive: true });
  const staging = await mkdtemp(join(CACHE, 'sparticuz-chromium-staging-'));
  const tmpdir = process.env.TMPDIR;
  try {
    process.env.TMPDIR = staging;
    try {
      await chromium.executablePath();
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    // Another run may have renamed its own copy into place first; either copy is whole.
    await rename(staging, UNPACKED).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return binary;
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('chromiumPath', await unpackChromium());
}
