import type { TranscriptExchange } from '../evidence/transcript.js';
import { ModelScriptSchema, type ModelScript, type ScriptTurn } from '../scripted-provider/model-script.js';

// A recorded answer as the model script can say it: its text, or its tool calls with their
// arguments as objects (the script keeps arguments as objects; the wire carries them as JSON text).
interface Answer {
  content: string;
  calls: Array<{ name: string; arguments: string }>;
}

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function addDelta(answer: Answer, delta: Record<string, unknown> | undefined): void {
  if (typeof delta?.content === 'string') answer.content += delta.content;
  const calls = Array.isArray(delta?.tool_calls) ? delta.tool_calls : [];
  for (const raw of calls) {
    const call = record(raw);
    const index = typeof call?.index === 'number' ? call.index : answer.calls.length;
    const fn = record(call?.function);
    answer.calls[index] ??= { name: '', arguments: '' };
    if (typeof fn?.name === 'string') answer.calls[index].name += fn.name;
    if (typeof fn?.arguments === 'string') answer.calls[index].arguments += fn.arguments;
  }
}

function answerOf(exchange: TranscriptExchange): Answer {
  const answer: Answer = { content: '', calls: [] };
  if (exchange.response.events !== null) {
    for (const event of exchange.response.events) {
      if (event.data === '[DONE]') continue;
      let chunk: unknown;
      try {
        chunk = JSON.parse(event.data);
      } catch {
        continue;
      }
      const [choice] = (record(chunk)?.choices as unknown[] | undefined) ?? [];
      addDelta(answer, record(record(choice)?.delta));
    }
    return answer;
  }
  const [choice] = (record(JSON.parse(exchange.response.body ?? 'null'))?.choices as unknown[] | undefined) ?? [];
  const message = record(record(choice)?.message);
  addDelta(answer, message && { content: message.content, tool_calls: (Array.isArray(message.tool_calls) ? message.tool_calls : []).map((call: unknown, index: number) => ({ index, ...record(call) })) });
  return answer;
}

// The recorded lane's repository is where Case ran: its paths become relative to the checkout, as
// a model script's are, so the script drives any lane.
function relativePaths(text: string): string {
  return text.replace(/<workspace>\/lanes\/[a-z]+\/repo\//g, '').replace(/<workspace>\/lanes\/[a-z]+\/repo(?![\w/-])/g, '.');
}

function relativeValue(value: unknown): unknown {
  if (typeof value === 'string') return relativePaths(value);
  if (Array.isArray(value)) return value.map(relativeValue);
  const fields = record(value);
  return fields ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, relativeValue(v)])) : value;
}

function turnOf(exchange: TranscriptExchange, answer: Answer): ScriptTurn {
  const where = `request ${exchange.seq} (${exchange.agent} turn ${exchange.turn})`;
  const calls = answer.calls.filter(Boolean);
  if (calls.length === 0) return { content: relativePaths(answer.content) };
  return {
    tool_calls: calls.map((call) => {
      let args: unknown;
      try {
        args = JSON.parse(call.arguments === '' ? '{}' : call.arguments);
      } catch {
        throw new ScriptError(`${where}: the arguments of tool call ${call.name} are not JSON`);
      }
      const fields = record(args);
      if (!fields || call.name === '') throw new ScriptError(`${where}: tool call ${call.name || '(unnamed)'} has no argument object`);
      return { name: call.name, arguments: relativeValue(fields) as Record<string, unknown> };
    }),
  };
}

// The model script that answers as the recorded model did: per agent, the answer given at each
// turn, from the first time that agent reached it (a respawned agent, or a retry, gets the same).
// A turn the script cannot say is an error rather than a guess: only whole answers, from
// successful exchanges, with each agent's turns from 0 without a gap.
export function scriptFromTranscript(exchanges: readonly TranscriptExchange[]): ModelScript {
  const roles: Record<string, ScriptTurn[]> = {};
  for (const exchange of exchanges) {
    if (exchange.agent === null || exchange.response.status !== 200) continue;
    const turns = (roles[exchange.agent] ??= []);
    if (exchange.turn < turns.length) continue;
    if (exchange.turn > turns.length) {
      throw new ScriptError(`request ${exchange.seq} (${exchange.agent} turn ${exchange.turn}): the recording has no successful answer for ${exchange.agent} turn ${turns.length}`);
    }
    turns.push(turnOf(exchange, answerOf(exchange)));
  }
  const parsed = ModelScriptSchema.safeParse({ roles });
  if (!parsed.success || Object.keys(roles).length === 0) {
    throw new ScriptError(parsed.success ? 'the recording holds no answer of a Case agent' : `the script it makes is not valid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}
