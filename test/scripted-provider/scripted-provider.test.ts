import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelScript } from '../../src/scripted-provider/model-script.js';
import { startScriptedProvider, type ScriptedProvider } from '../../src/scripted-provider/scripted-provider.js';
import { parseSse } from '../support/fake-server.js';

const MODEL = 'qwen3.6-35b-a3b';
const RESULT = '<<<AGENT_RESULT\n{"status":"completed","summary":"done — ✓","error":null,"artifacts":{}}\nAGENT_RESULT>>>';
const SCRIPT: ModelScript = {
  roles: {
    implementer: [
      { tool_calls: [{ name: 'bash', arguments: { command: 'git status' } }, { name: 'write', arguments: { path: 'a.txt', content: 'x "quoted" 🙂' } }] },
      { content: RESULT },
    ],
  },
};

const SYSTEM = { role: 'system', content: '# Implementer — you implement\nmore text' };

interface Chunk {
  object: string;
  model: string;
  choices: { index: number; delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

let provider: ScriptedProvider;

beforeEach(async () => {
  provider = await startScriptedProvider({ model: MODEL, script: SCRIPT });
});
afterEach(async () => {
  await provider.close();
});

function chat(body: unknown): Promise<Response> {
  return fetch(`${provider.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function streamed(messages: unknown[], includeUsage = true): Promise<{ chunks: Chunk[]; contentType: string | null }> {
  const response = await chat({ model: MODEL, messages, stream: true, stream_options: { include_usage: includeUsage }, tools: [] });
  expect(response.status).toBe(200);
  const data = parseSse(await response.text());
  expect(data.at(-1)).toBe('[DONE]');
  return { chunks: data.slice(0, -1).map((line) => JSON.parse(line) as Chunk), contentType: response.headers.get('content-type') };
}

describe('scripted provider', () => {
  it('listens on 127.0.0.1 and answers health and the model list', async () => {
    expect(provider.url).toBe(`http://127.0.0.1:${provider.port}`);
    const health = await fetch(`${provider.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const models = await fetch(`${provider.url}/v1/models`);
    expect(await models.json()).toEqual({ object: 'list', data: [{ id: MODEL, object: 'model', owned_by: 'case-local-route' }] });
  });

  it('streams tool calls as pi expects: role first, id and name with empty arguments, then string fragments', async () => {
    const { chunks, contentType } = await streamed([SYSTEM, { role: 'user', content: 'do it' }]);
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === MODEL)).toBe(true);
    expect(chunks[0]?.choices[0]?.delta['role']).toBe('assistant');

    const calls = new Map<number, { id?: string; name?: string; type?: string; args: string; firstArgs?: unknown }>();
    for (const chunk of chunks) {
      for (const call of (chunk.choices[0]?.delta['tool_calls'] ?? []) as { index: number; id?: string; type?: string; function: { name?: string; arguments: string } }[]) {
        const entry = calls.get(call.index) ?? { args: '' };
        if (call.id !== undefined) {
          entry.id = call.id;
          entry.type = call.type;
          entry.name = call.function.name;
          entry.firstArgs = call.function.arguments;
        }
        expect(typeof call.function.arguments).toBe('string');
        entry.args += call.function.arguments;
        calls.set(call.index, entry);
      }
    }
    expect([...calls.keys()]).toEqual([0, 1]);
    expect(calls.get(0)).toMatchObject({ name: 'bash', type: 'function', firstArgs: '' });
    expect(JSON.parse(calls.get(0)?.args ?? '')).toEqual({ command: 'git status' });
    expect(calls.get(1)).toMatchObject({ name: 'write', firstArgs: '' });
    expect(JSON.parse(calls.get(1)?.args ?? '')).toEqual({ path: 'a.txt', content: 'x "quoted" 🙂' });
    expect(calls.get(0)?.id).not.toBe(calls.get(1)?.id);

    const withChoices = chunks.filter((chunk) => chunk.choices.length > 0);
    expect(withChoices.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(withChoices.slice(0, -1).every((chunk) => chunk.choices[0]?.finish_reason === null)).toBe(true);
    const usage = chunks.at(-1);
    expect(usage?.choices).toEqual([]);
    expect(usage?.usage?.total_tokens).toBe((usage?.usage?.prompt_tokens ?? 0) + (usage?.usage?.completion_tokens ?? 0));
  });

  it('uses the number of assistant messages as the turn and streams text in a few content chunks', async () => {
    const messages = [
      { role: 'system', content: [{ type: 'text', text: '# Implementer — you implement' }] },
      { role: 'user', content: 'do it' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{}' } }] },
      { role: 'tool', content: 'ok', tool_call_id: 'c1' },
    ];
    const { chunks } = await streamed(messages, false);
    const contents = chunks.flatMap((chunk) => {
      const content = chunk.choices[0]?.delta['content'];
      return typeof content === 'string' && content !== '' ? [content] : [];
    });
    expect(contents.length).toBeGreaterThan(1);
    expect(contents.join('')).toBe(RESULT);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.some((chunk) => chunk.usage !== undefined)).toBe(false);
  });

  it('answers a non-streamed request with one chat.completion', async () => {
    const response = await chat({ model: MODEL, messages: [SYSTEM] });
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as {
      object: string;
      choices: { message: { role: string; content: string | null; tool_calls: { id: string; function: { name: string; arguments: string } }[] }; finish_reason: string }[];
    };
    expect(body.object).toBe('chat.completion');
    const choice = body.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls.map((call) => call.function.name)).toEqual(['bash', 'write']);
    expect(JSON.parse(choice?.message.tool_calls[0]?.function.arguments ?? '')).toEqual({ command: 'git status' });
  });

  it('answers an unscripted role, and a turn past the script, with a failed agent result', async () => {
    const reviewer = await (await chat({ model: MODEL, messages: [{ role: 'system', content: '# Reviewer — x' }] })).json();
    expect(JSON.stringify(reviewer)).toContain('no scripted reply');
    const past = [SYSTEM, { role: 'assistant', content: 'a' }, { role: 'assistant', content: 'b' }];
    const late = await (await chat({ model: MODEL, messages: past })).json();
    expect(JSON.stringify(late)).toContain('no scripted reply');
  });

  it('refuses a model it does not serve with 404, and follows serveModel', async () => {
    const wrong = await chat({ model: 'claude-sonnet-4-6', messages: [SYSTEM], stream: true });
    expect(wrong.status).toBe(404);
    expect(await wrong.json()).toEqual({ error: { message: "model 'claude-sonnet-4-6' not found", type: 'invalid_request_error' } });

    provider.serveModel('other-model');
    expect(provider.servedModel()).toBe('other-model');
    const models = (await (await fetch(`${provider.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((card) => card.id)).toEqual(['other-model']);
    expect((await chat({ model: MODEL, messages: [SYSTEM] })).status).toBe(404);
    expect((await chat({ model: 'other-model', messages: [SYSTEM] })).status).toBe(200);
  });

  it('answers 400 to bad JSON or a malformed request, and 404 to anything else', async () => {
    expect((await chat('{not json')).status).toBe(400);
    expect((await chat({ model: MODEL })).status).toBe(400);
    expect((await fetch(`${provider.url}/v1/chat/completions`)).status).toBe(404);
    expect((await fetch(`${provider.url}/v1/embeddings`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
