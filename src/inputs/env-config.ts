import { z } from './zod-mini.js';

// The documented interface is the environment; names are fixed by the source documents.
export const ENV = {
  decisionFile: 'CTO_HARNESS_CASE_DECISION_FILE',
  admissionFile: 'CTO_HARNESS_CASE_MODEL_ADMISSION_FILE',
  provider: 'CTO_HARNESS_CASE_MODEL_PROVIDER',
  model: 'CTO_HARNESS_CASE_MODEL',
  baseUrl: 'CTO_HARNESS_CASE_LOCAL_BASE_URL',
  caseCommand: 'CTO_HARNESS_CASE_COMMAND',
  apiKey: 'CTO_HARNESS_CASE_LOCAL_API_KEY',
  // Not ours: Case's own override. Read only so the fallback gate can refuse a harness
  // environment that carries it.
  caseModelOverride: 'CASE_MODEL_OVERRIDE',
} as const;

export type EnvKey = keyof typeof ENV;

const optionalValue = z.optional(z.string());

export const EnvConfigSchema = z.object({
  decisionFile: optionalValue,
  admissionFile: optionalValue,
  provider: optionalValue,
  model: optionalValue,
  baseUrl: optionalValue,
  caseCommand: optionalValue,
  apiKey: optionalValue,
  caseModelOverride: optionalValue,
});

export type EnvConfig = z.infer<typeof EnvConfigSchema>;

// An environment such as process.env. Declared here rather than as NodeJS.ProcessEnv so that the
// package's public types compile without @types/node.
export type Environment = Readonly<Record<string, string | undefined>>;

// Missing and empty are decided by the config gates, so every value is read as it is here.
export function readEnvConfig(env: Environment): EnvConfig {
  const raw = Object.fromEntries(
    (Object.keys(ENV) as EnvKey[]).map((key) => [key, env[ENV[key]]]),
  );
  return EnvConfigSchema.parse(raw);
}
