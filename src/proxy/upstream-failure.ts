// What went wrong between the recording proxy and the local server, reduced to facts a report can
// show: never the upstream's message itself (it may quote the prompt), only its kind, a short code
// and the token counts a context error names.
export type UpstreamFailureKind = 'connection' | 'cut' | 'status' | 'context_exceeded';

export interface UpstreamFailure {
  readonly kind: UpstreamFailureKind;
  readonly code: string;
  readonly prompt_tokens: number | null;
  readonly context_tokens: number | null;
}

// Enough of an error body to classify it; error bodies are small JSON documents.
export const MAX_ERROR_BODY_BYTES = 8192;

const MAX_CODE_LENGTH = 64;

export function connectionFailure(kind: 'connection' | 'cut', error: unknown): UpstreamFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return { kind, code: typeof code === 'string' ? code.slice(0, MAX_CODE_LENGTH) : 'connection closed', prompt_tokens: null, context_tokens: null };
}

function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const count = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null);

function firstNumber(text: string, pattern: RegExp): number | null {
  const digits = pattern.exec(text)?.slice(1).find((group) => group !== undefined);
  return digits === undefined ? null : count(Number(digits));
}

// How each server words a prompt that does not fit:
//   llama.cpp: 400, error.type "exceed_context_size_error" with n_prompt_tokens and n_ctx
//     (tools/server/server-common.cpp); older builds: "the request exceeds the available context size";
//   vLLM: 400 BadRequestError, "This model's maximum context length is N tokens. However, you
//     requested M output tokens and your prompt contains [at least] P input tokens, ..."
//     (vllm/renderers/params.py, 0.25), "... However, you requested T tokens (P in the messages, M in
//     the completion)" (older serving_engine.py), or "'max_tokens' ... is too large: M. This
//     model's maximum context length is N tokens and your request has P input tokens";
//   OpenAI and servers that copy it: error.code "context_length_exceeded";
//   LM Studio: "... greater than the context length ..." / "... context length of only N tokens";
//   Ollama: "the prompt is longer than the context length currently available to the model"
//     (llm/llama_server.go) or "the input length exceeds the context length" (server/routes.go).
const CONTEXT_WORDING = /exceed[^.]{0,40}context|context[^.]{0,40}(exceed|overflow)|maximum context length|(greater|longer) than the context length|context length of only/i;

export function statusFailure(status: number, body: Uint8Array): UpstreamFailure {
  const text = new TextDecoder().decode(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const error = objectOf(objectOf(json)?.['error']) ?? objectOf(json);
  const type = typeof error?.['type'] === 'string' ? error['type'] : null;
  const code = typeof error?.['code'] === 'string' ? error['code'] : null;
  const message = typeof error?.['message'] === 'string' ? error['message'] : typeof objectOf(json)?.['error'] === 'string' ? String(objectOf(json)?.['error']) : text;
  const contextExceeded =
    status >= 400 && status < 500 && (type === 'exceed_context_size_error' || code === 'context_length_exceeded' || CONTEXT_WORDING.test(message));
  if (!contextExceeded) {
    return { kind: 'status', code: (type ?? code ?? `http_${status}`).slice(0, MAX_CODE_LENGTH), prompt_tokens: null, context_tokens: null };
  }
  return {
    kind: 'context_exceeded',
    code: (type ?? code ?? 'context_exceeded').slice(0, MAX_CODE_LENGTH),
    prompt_tokens: count(error?.['n_prompt_tokens']) ?? firstNumber(message, /request \((\d+) tokens\)|(\d+) in the messages|prompt contains (?:at least )?(\d+) input tokens|has (\d+) input tokens|keep the first (\d+) tokens/i),
    context_tokens: count(error?.['n_ctx']) ?? firstNumber(message, /(?:context (?:size|length) (?:is |of only )?\(?)(\d+)|maximum context length is (\d+)/i),
  };
}
