// What Case is told about the model's window, from what the server stated in the preflight.
//
// The minimum: real Case's first request (the implementer's system prompt, the task and four tool
// definitions) measured about 7,400 tokens on llama.cpp with the Qwen tokenizer; each tool turn
// adds its output on top, and the answer needs room too. 16,384 leaves that first prompt room for
// a reply of a quarter of the window and a few turns of a tiny fixture; less fails on the first
// request or soon after, so it blocks before Case starts.
export const MIN_CONTEXT_WINDOW = 16_384;

// Told to Case when the server does not state its window (the value the adapter always used).
export const DEFAULT_CONTEXT_WINDOW = 131_072;

const MAX_OUTPUT_TOKENS = 16_384;

export interface CaseModelLimits {
  readonly contextWindow: number;
  readonly maxTokens: number;
}

// pi sends maxTokens as max_completion_tokens on every request. vLLM refuses a request whose
// prompt plus max_completion_tokens exceeds its window, and llama.cpp stops at the window anyway,
// so the answer's budget is a quarter of the window (at most 16,384): the prompt keeps the rest.
export function caseModelLimits(statedWindow: number | null): CaseModelLimits {
  const contextWindow = statedWindow ?? DEFAULT_CONTEXT_WINDOW;
  return { contextWindow, maxTokens: Math.min(MAX_OUTPUT_TOKENS, Math.floor(contextWindow / 4)) };
}
