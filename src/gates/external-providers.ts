// Hosted providers and model families that must never be the admitted pair, compared without
// regard to case so that look-alikes such as "Anthropic" are caught too.
export const EXTERNAL_PROVIDERS: readonly string[] = [
  'anthropic', 'openai', 'azure', 'azure-openai', 'google', 'gemini', 'vertex', 'google-vertex',
  'bedrock', 'amazon-bedrock', 'openrouter', 'groq', 'mistral', 'xai', 'cerebras', 'deepseek',
  'together', 'fireworks', 'perplexity', 'cohere', 'github-copilot', 'zai', 'minimax', 'kimi',
  'opencode', 'vercel-ai-gateway', 'huggingface',
];

export const EXTERNAL_MODEL_PATTERNS: readonly RegExp[] = [
  /^claude/i, /^gpt-/i, /^o[1-9](-|$)/i, /^chatgpt/i, /^gemini/i, /^grok/i, /^command-r/i,
  /^sonar/i, /-cloud$/i, /^(anthropic|openai|google)\//i,
];

export function isExternalProvider(provider: string): boolean {
  return EXTERNAL_PROVIDERS.includes(provider.trim().toLowerCase());
}

export function isExternalModel(model: string): boolean {
  return EXTERNAL_MODEL_PATTERNS.some((pattern) => pattern.test(model.trim()));
}
