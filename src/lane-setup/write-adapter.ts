import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Check } from '../gates/lane-setup-gates.js';
import {
  buildCaseConfig,
  buildPiModels,
  buildProjects,
  buildTask,
  CASE_API_KEY_ENV,
  CASE_PROVIDER_KEY,
  CASE_ROLES,
  CaseConfigSchema,
  PiModelsSchema,
  ProjectsSchema,
} from './case-config.js';
import { checkChildEnv } from './child-env.js';
import type { CaseModelLimits } from './context-window.js';
import type { LaneDirs } from './lane-dirs.js';

export interface AdapterSpec {
  readonly dirs: LaneDirs;
  readonly model: string;
  readonly limits: CaseModelLimits;
  readonly proxyBaseUrl: string;
  readonly repoName: string;
  readonly slug: string;
  readonly branch: string;
  readonly taskText: string;
  readonly testCommand: string;
  readonly ghStandin: { readonly node: string; readonly script: string; readonly recorderUrl: string };
  readonly caseCommand: readonly string[];
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

async function writeExecutable(path: string, argv: readonly string[], passArgs: boolean): Promise<void> {
  const line = `exec ${argv.map(shellQuote).join(' ')}${passArgs ? ' "$@"' : ''}`;
  await writeFile(path, `#!/bin/sh\n${line}\n`);
  await chmod(path, 0o755);
}

export function taskFile(spec: Pick<AdapterSpec, 'dirs' | 'slug'>): string {
  return join(spec.dirs.repo, '.case', 'tasks', 'active', `${spec.slug}.task.json`);
}

// Writes what Case reads, all inside the lane: its data dir, pi's models.json, the task, a git
// identity in the private HOME, and `gh`/`ca` on the lane's PATH.
export async function writeAdapter(spec: AdapterSpec): Promise<void> {
  const { dirs } = spec;
  await writeFile(join(dirs.data, 'config.json'), json(buildCaseConfig(spec.model)));
  await writeFile(join(dirs.data, 'projects.json'), json(buildProjects(spec.repoName, dirs.repo, spec.testCommand)));
  await writeFile(join(dirs.pi, 'models.json'), json(buildPiModels(spec.proxyBaseUrl, spec.model, spec.limits)));
  await writeFile(
    join(dirs.home, '.gitconfig'),
    '[user]\n\tname = case-local-route lane\n\temail = lane@localhost.invalid\n[init]\n\tdefaultBranch = main\n',
  );
  const tasks = join(dirs.repo, '.case', 'tasks', 'active');
  await mkdir(tasks, { recursive: true });
  await writeFile(join(dirs.repo, '.case', 'active'), `${spec.slug}\n`);
  await writeFile(taskFile(spec), json(buildTask(spec.slug, spec.repoName, spec.branch, new Date().toISOString())));
  await writeFile(join(tasks, `${spec.slug}.md`), spec.taskText);
  await writeExecutable(join(dirs.bin, 'gh'), [spec.ghStandin.node, spec.ghStandin.script, '--recorder', spec.ghStandin.recorderUrl, '--'], true);
  await writeExecutable(join(dirs.bin, 'ca'), spec.caseCommand, true);
}

// What Case was told, as the harness wrote it: the evidence copy is taken from here, never from the
// lane's files, which the lane can rewrite.
export const GENERATED_FILES = ['config.json', 'projects.json', 'models.json'] as const;

export async function readGenerated(spec: Pick<AdapterSpec, 'dirs'>): Promise<ReadonlyArray<{ name: string; text: string }>> {
  const where = { 'config.json': spec.dirs.data, 'projects.json': spec.dirs.data, 'models.json': spec.dirs.pi };
  return Promise.all(GENERATED_FILES.map(async (name) => ({ name, text: await readFile(join(where[name], name), 'utf8') })));
}

async function readBack<T>(path: string, schema: z.ZodType<T>): Promise<T | string> {
  try {
    const parsed = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : `${path.split('/').pop()} does not have the shape Case reads`;
  } catch {
    return `${path.split('/').pop()} cannot be read back as JSON`;
  }
}

// Reads the generated files back as Case and pi would, and checks the child environment: a
// config Case would silently ignore is a fallback to anthropic, so it blocks here.
export async function checkAdapter(
  spec: AdapterSpec,
  env: Readonly<Record<string, string>>,
  laneToken: string,
): Promise<Check> {
  const fail = (detail: string): Check => ({ ok: false, detail });
  const { dirs, model } = spec;
  const config = await readBack(join(dirs.data, 'config.json'), CaseConfigSchema);
  if (typeof config === 'string') return fail(config);
  for (const role of CASE_ROLES) {
    const ref = config.models[role];
    if (!ref || ref.provider !== CASE_PROVIDER_KEY || ref.model !== model) {
      return fail(`config.json does not pin models.${role} to ${CASE_PROVIDER_KEY}/${model}`);
    }
  }
  const models = await readBack(join(dirs.pi, 'models.json'), PiModelsSchema);
  if (typeof models === 'string') return fail(models);
  const providers = Object.keys(models.providers);
  const entry = models.providers[CASE_PROVIDER_KEY];
  if (providers.length !== 1 || !entry) return fail(`models.json must define only the ${CASE_PROVIDER_KEY} provider`);
  if (entry.baseUrl !== spec.proxyBaseUrl) return fail('models.json baseUrl is not the lane recording proxy');
  if (entry.api !== 'openai-completions' || entry.apiKey !== CASE_API_KEY_ENV) {
    return fail('models.json does not use the openai-completions API with the lane token');
  }
  const listed = entry.models.find((m) => m.id === model);
  if (!listed) return fail(`models.json does not list ${model}`);
  if (listed['contextWindow'] !== spec.limits.contextWindow || listed['maxTokens'] !== spec.limits.maxTokens) {
    return fail(`models.json does not give ${model} the server's context window`);
  }
  const projects = await readBack(join(dirs.data, 'projects.json'), ProjectsSchema);
  if (typeof projects === 'string') return fail(projects);
  if (projects.repos[0]?.path !== dirs.repo || projects.repos[0]?.name !== spec.repoName) {
    return fail('projects.json does not point at the lane fixture copy');
  }
  if (env.CASE_DATA_DIR !== dirs.data || env.PI_CODING_AGENT_DIR !== dirs.pi || env.HOME !== dirs.home) {
    return fail('the child environment does not point Case at the lane data dir, pi dir and HOME');
  }
  const envProblem = checkChildEnv(env, laneToken);
  if (envProblem) return fail(envProblem);
  return { ok: true, detail: `every role pinned to ${CASE_PROVIDER_KEY}/${model} through the lane proxy` };
}
