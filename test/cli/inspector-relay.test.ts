import { once } from 'node:events';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startInspectorRelay, type InspectorRelay } from '../../src/cli/inspector-relay.js';

let relay: InspectorRelay | undefined;
afterEach(async () => {
  await relay?.stop();
});

async function connect(url: string): Promise<{ socket: WebSocket; received: string[] }> {
  const socket = new WebSocket(url);
  const received: string[] = [];
  socket.on('message', (data) => received.push(data.toString()));
  await once(socket, 'open');
  return { socket, received };
}

describe('the inspector relay', () => {
  it('serves its page on 127.0.0.1 only', async () => {
    relay = await startInspectorRelay(0);
    expect(relay.pageUrl).toBe(`http://127.0.0.1:${relay.port}`);
    const page = await (await fetch(relay.pageUrl)).text();
    expect(page).toContain(`ws://127.0.0.1:${relay.port}/`);
  });

  it('relays what the run sends, replays it to a late page, and relays nothing a page sends', async () => {
    relay = await startInspectorRelay(0);
    const early = await connect(relay.pageUrl.replace('http', 'ws'));
    const source = await connect(relay.sourceUrl);
    source.socket.send('{"type":"@xstate.event"}');
    await new Promise((r) => setTimeout(r, 100));
    const late = await connect(relay.pageUrl.replace('http', 'ws'));
    early.socket.send('{"type":"forged"}');
    await new Promise((r) => setTimeout(r, 100));
    expect(early.received).toEqual(['{"type":"@xstate.event"}']);
    expect(late.received).toEqual(['{"type":"@xstate.event"}']);
    expect(source.received).toEqual([]);
    for (const client of [early, late, source]) client.socket.close();
  });
});
