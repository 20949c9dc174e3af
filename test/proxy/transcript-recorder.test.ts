import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTranscript } from '../../src/evidence/transcript.js';
import { startRecordingProxy } from '../../src/proxy/recording-proxy.js';
import { startScriptedProvider, type ScriptedProvider } from '../../src/scripted-provider/scripted-provider.js';
import { makeTempDir } from '../support/fake-server.js';
import { SUM_BUG_SCRIPT } from '../support/cli.js';

const MODEL = 'qwen3.6-35b-a3b';
const TOKEN = 'lane-token-transcript-1';
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function proxyWithTranscript(maxBytes: number) {
  const temp = await makeTempDir();
  const upstream: ScriptedProvider = await startScriptedProvider({ model: MODEL, script: SUM_BUG_SCRIPT });
  const file = join(temp.dir, 'transcript.jsonl');
  const proxy = await startRecordingProxy({ upstream: upstream.url, admittedModel: MODEL, laneToken: TOKEN, auditFile: join(temp.dir, 'audit.jsonl'), transcript: { file, lane: 'fake', maxBytes } });
  cleanup.push(() => temp.remove(), () => upstream.close(), () => proxy.close());
  const ask = async (turn: number, stream: boolean) => {
    const messages: unknown[] = [{ role: 'system', content: '# Implementer — test' }, { role: 'user', content: 'fix sum' }];
    for (let i = 0; i < turn; i += 1) messages.push({ role: 'assistant', content: 'ok' }, { role: 'user', content: 'go on' });
    const res = await fetch(`${proxy.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages, stream }),
    });
    return res.text();
  };
  return { file, proxy, ask };
}

describe('the transcript the recording proxy keeps', () => {
  it('holds each exchange keyed by agent and turn: a stream as its events, any other answer as its body', async () => {
    const { file, proxy, ask } = await proxyWithTranscript(1024 * 1024);
    const streamed = await ask(0, true);
    const plain = await ask(1, false);
    await proxy.close();
    const transcript = await readTranscript(file);
    expect(transcript.problems).toEqual([]);
    expect(transcript.exchanges.map((e) => [e.seq, e.agent, e.turn])).toEqual([[1, 'implementer', 0], [2, 'implementer', 1]]);
    const [first, second] = transcript.exchanges;
    expect(first!.response.events!.map((e) => `data: ${e.data}\n\n`).join('')).toBe(streamed);
    expect(second!.response).toMatchObject({ status: 200, events: null, body: plain });
  });

  it('stops at its cap with a last line saying so, read as truncated evidence', async () => {
    const { file, proxy, ask } = await proxyWithTranscript(3000);
    for (let turn = 0; turn < 4; turn += 1) await ask(turn, true);
    await proxy.close();
    const transcript = await readTranscript(file);
    expect(transcript.exchanges.length).toBeLessThan(4);
    expect(transcript.problems).toEqual([{ kind: 'truncated', detail: expect.stringMatching(/^transcript\.jsonl: the transcript reached its cap of 3000 bytes at request \d \(implementer turn \d\)/) }]);
  });
});
