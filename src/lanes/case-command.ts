import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Check } from '../gates/lane-setup-gates.js';
import { ENV } from '../inputs/env-config.js';

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

// CTO_HARNESS_CASE_COMMAND is split on white space and never given to a shell, so it cannot
// smuggle redirections or a second command; its first word must be an executable file.
export async function resolveCaseCommand(commandLine: string | undefined, path: string, cwd: string): Promise<CommandResolution> {
  const words = (commandLine ?? '').trim().split(/\s+/).filter(Boolean);
  const [program, ...rest] = words;
  if (!program) return { ok: false, detail: `${ENV.caseCommand} is not set`, argv: [] };
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
