import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createParser } from 'eventsource-parser';

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatReply {
  content: string;
  toolCalls: ToolCall[];
}

function proxyFor(url: URL, env: NodeJS.ProcessEnv): string | undefined {
  const exempt = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (exempt.includes(url.host) || exempt.includes(url.hostname)) return undefined;
  const names = url.protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy'];
  return [...names, 'ALL_PROXY', 'all_proxy'].map((name) => env[name]).find(Boolean);
}

// Honours the proxy variables as Bun's fetch does, so a fallback to a hosted provider shows up at
// the egress deny proxy exactly as it would from real Case.
function send(url: URL, headers: Record<string, string>, body: string, env: NodeJS.ProcessEnv): Promise<IncomingMessage> {
  const proxy = proxyFor(url, env);
  return new Promise((resolve, reject) => {
    if (!proxy) {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'POST', headers }, resolve);
      req.on('error', reject);
      req.end(body);
      return;
    }
    const proxyUrl = new URL(proxy);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const connect = httpRequest({ host: proxyUrl.hostname, port: proxyUrl.port, method: 'CONNECT', path: `${url.hostname}:${port}` });
    connect.on('connect', (res) => {
      connect.destroy();
      reject(new Error(`proxy refused CONNECT ${url.hostname}:${port} (${res.statusCode})`));
    });
    connect.on('response', (res) => reject(new Error(`proxy answered ${res.statusCode} to CONNECT`)));
    connect.on('error', reject);
    connect.end();
  });
}

export async function chatCompletion(
  baseUrl: string,
  apiKey: string,
  payload: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Promise<ChatReply> {
  const url = new URL(`${baseUrl.replace(/\/$/, '')}/chat/completions`);
  const body = JSON.stringify(payload);
  const res = await send(
    url,
    { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'content-length': String(Buffer.byteLength(body)) },
    body,
    env,
  );
  if (res.statusCode !== 200) {
    let text = '';
    for await (const chunk of res) text += chunk;
    throw new Error(`model endpoint answered ${res.statusCode}: ${text.slice(0, 200)}`);
  }
  const reply: ChatReply = { content: '', toolCalls: [] };
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const chunk = JSON.parse(event.data) as {
        choices?: Array<{ delta?: { content?: string; tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> } }>;
      };
      const delta = chunk.choices?.[0]?.delta;
      if (delta?.content) reply.content += delta.content;
      for (const call of delta?.tool_calls ?? []) {
        const slot = (reply.toolCalls[call.index] ??= { id: call.id ?? `call_${call.index}`, name: '', arguments: '' });
        if (call.function?.name) slot.name = call.function.name;
        if (call.function?.arguments) slot.arguments += call.function.arguments;
      }
    },
  });
  res.setEncoding('utf8');
  for await (const chunk of res) parser.feed(chunk as string);
  return reply;
}
