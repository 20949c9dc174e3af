import { z } from 'zod';
import type { CaseModelLimits } from './context-window.js';

// pi can only authenticate providers it knows by name, so the admitted logical provider is
// registered under `openai` with its baseUrl at the lane's recording proxy (case-facts.md).
export const CASE_PROVIDER_KEY = 'openai';
export const CASE_API_KEY_ENV = 'OPENAI_API_KEY';
export const CASE_ROLES = ['default', 'implementer', 'verifier', 'reviewer', 'closer', 'retrospective', 'orchestrator'] as const;

const ModelRefSchema = z.object({ provider: z.string(), model: z.string() });

export const CaseConfigSchema = z.looseObject({
  projects: z.string().optional(),
  models: z.record(z.string(), ModelRefSchema.nullable()),
});

export const PiModelsSchema = z.object({
  providers: z.record(
    z.string(),
    z.looseObject({
      baseUrl: z.string(),
      api: z.string(),
      apiKey: z.string(),
      models: z.array(z.looseObject({ id: z.string() })).min(1),
    }),
  ),
});

export const ProjectsSchema = z.object({
  repos: z.array(z.looseObject({ name: z.string(), path: z.string() })).length(1),
});

export function buildCaseConfig(model: string) {
  const pinned = { provider: CASE_PROVIDER_KEY, model };
  return {
    version: 1,
    projects: './projects.json',
    models: Object.fromEntries(CASE_ROLES.map((role) => [role, pinned])),
  };
}

export function buildPiModels(proxyBaseUrl: string, model: string, limits: CaseModelLimits) {
  return {
    providers: {
      [CASE_PROVIDER_KEY]: {
        baseUrl: proxyBaseUrl,
        api: 'openai-completions',
        apiKey: CASE_API_KEY_ENV,
        models: [
          {
            id: model,
            contextWindow: limits.contextWindow,
            maxTokens: limits.maxTokens,
            compat: { supportsDeveloperRole: false, supportsStore: false },
          },
        ],
      },
    },
  };
}

export function buildProjects(name: string, repoPath: string, testCommand: string) {
  return {
    repos: [
      {
        name,
        type: 'library',
        path: repoPath,
        remote: `local:${name}`,
        language: 'javascript',
        packageManager: 'npm',
        commands: { test: testCommand },
      },
    ],
  };
}

export function buildTask(slug: string, repoName: string, branch: string, created: string) {
  return {
    id: slug,
    status: 'active',
    created,
    repo: repoName,
    issueType: 'freeform',
    issue: slug,
    branch,
    mode: 'unattended',
    profile: 'tiny',
    agents: {},
    tested: false,
    manualTested: false,
    prUrl: null,
    prNumber: null,
  };
}
