import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Check } from '../gates/lane-setup-gates.js';
import { ENV } from '../inputs/env-config.js';
import type { CommandFile } from './lane-types.js';

export type CommandResolution = Check & { readonly argv: readonly string[] };

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function isReadable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

// CTO_HARNESS_CASE_COMMAND is split on white space and never given to a shell, so it cannot
// smuggle redirections or a second command; its first word must be an executable file. Every
// later word that names a path (it holds a `/` and is not an option) must exist and be readable:
// `bun /path/to/case/src/index.ts` with a wrong path would otherwise pass every gate and fail
// only once Case had started.
export async function resolveCaseCommand(commandLine: string | undefined, path: string, cwd: string): Promise<CommandResolution> {
  const words = (commandLine ?? '').trim().split(/\s+/).filter(Boolean);
  const [program, ...rest] = words;
  if (!program) return { ok: false, detail: `${ENV.caseCommand} is not set`, argv: [] };
  for (const word of rest) {
    if (word.startsWith('-') || !word.includes('/')) continue;
    if (!(await isReadable(resolve(cwd, word)))) {
      return { ok: false, detail: `${ENV.caseCommand}: "${basename(word)}" does not exist or cannot be read`, argv: [] };
    }
  }
  const candidates = program.includes('/')
    ? [isAbsolute(program) ? program : resolve(cwd, program)]
    : path.split(delimiter).filter(Boolean).map((dir) => join(dir, program));
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate)) {
      return { ok: true, detail: `${ENV.caseCommand} starts an executable`, argv: [candidate, ...rest] };
    }
  }
  return { ok: false, detail: `${ENV.caseCommand}: "${program.split('/').pop()}" is not an executable file`, argv: [] };
}

async function sha256OfFile(path: string): Promise<string | null> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(path), hash);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

// What the resolved command runs: its program and every argument that is an absolute path to a
// file (`node /x/case.mjs`, `bun /x/case/src/index.ts`). It cannot prove the program is WorkOS
// Case; it records which bytes ran, by base name only. Never rejects.
export async function identifyCommand(argv: readonly string[]): Promise<CommandFile[]> {
  const paths = argv.filter((word, index) => index === 0 || isAbsolute(word));
  const files = await Promise.all(
    paths.map(async (path) => ((await isRegularFile(path)) ? { name: basename(path), sha256: await sha256OfFile(path) } : null)),
  );
  return files.filter((file) => file !== null);
}
