import { nanoid } from 'nanoid';
import type { ScriptTurn } from './model-script.js';

// OpenAI chat-completion wire shapes, as pi's `openai-completions` client reads them.

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

interface Reply {
  id: string;
  created: number;
  model: string;
  content: string | null;
  toolCalls: WireToolCall[];
  finishReason: 'stop' | 'tool_calls';
  usage: Usage;
}

// Token counts are a deterministic estimate (4 characters a token): nothing downstream bills
// them, but pi needs the usage chunk to be well-formed.
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function buildReply(turn: ScriptTurn, model: string, promptText: string): Reply {
  const toolCalls: WireToolCall[] =
    'tool_calls' in turn
      ? turn.tool_calls.map((call) => ({
          id: `call_${nanoid(12)}`,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        }))
      : [];
  const content = 'content' in turn ? turn.content : null;
  const completionText = content ?? toolCalls.map((call) => call.function.name + call.function.arguments).join('');
  const prompt_tokens = estimateTokens(promptText);
  const completion_tokens = estimateTokens(completionText);
  return {
    id: `chatcmpl-${nanoid()}`,
    created: Math.floor(Date.now() / 1000),
    model,
    content,
    toolCalls,
    finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
  };
}

export function completionBody(reply: Reply): object {
  return {
    id: reply.id,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.content,
          ...(reply.toolCalls.length > 0 ? { tool_calls: reply.toolCalls } : {}),
        },
        finish_reason: reply.finishReason,
      },
    ],
    usage: reply.usage,
  };
}

// Splits by code point so a fragment never ends inside a surrogate pair.
function fragments(text: string, count: number): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / count));
  const parts: string[] = [];
  for (let start = 0; start < chars.length; start += size) parts.push(chars.slice(start, start + size).join(''));
  return parts;
}

// The chunk sequence mirrors OpenAI's: role first, then content or tool-call deltas (a call's
// first delta carries id, name and empty arguments; later ones append argument text), then the
// finish reason, then usage in a chunk with no choices when the client asked for it.
export function completionChunks(reply: Reply, includeUsage: boolean): object[] {
  const chunk = (choices: object[], extra: object = {}): object => ({
    id: reply.id,
    object: 'chat.completion.chunk',
    created: reply.created,
    model: reply.model,
    choices,
    ...extra,
  });
  const delta = (value: object, finishReason: string | null = null): object =>
    chunk([{ index: 0, delta: value, finish_reason: finishReason }]);

  const chunks: object[] = [delta({ role: 'assistant', content: reply.content === null ? null : '' })];
  if (reply.content !== null) {
    for (const part of fragments(reply.content, 3)) chunks.push(delta({ content: part }));
  }
  reply.toolCalls.forEach((call, index) => {
    chunks.push(
      delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }),
    );
    for (const part of fragments(call.function.arguments, 2)) {
      chunks.push(delta({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
  });
  chunks.push(delta({}, reply.finishReason));
  if (includeUsage) chunks.push(chunk([], { usage: reply.usage }));
  return chunks;
}
