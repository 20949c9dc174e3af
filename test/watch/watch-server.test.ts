import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startWatchServer, type WatchServer } from '../../src/watch/watch-server.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

// A real request to the server; an event stream is read until `until` shows up in it.
function get(url: string, headers: Record<string, string> = {}, until?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (until && body.includes(until)) {
          req.destroy();
          resolve({ status: res.statusCode!, headers: res.headers, body });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server: WatchServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('the live view server', () => {
  it('serves the page on 127.0.0.1 under a random path, with a CSP that allows only its own nonce', async () => {
    server = await startWatchServer(0, (nonce) => `<script nonce="${nonce}"></script>`);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{24}\/$/);
    const page = await get(server.url);
    expect(page.status).toBe(200);
    const nonce = /nonce="([\w-]+)"/.exec(page.body)![1];
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    // A fresh nonce for every load.
    expect((await get(server.url)).body).not.toContain(nonce);
    expect((await get(new URL(server.url).origin + '/')).status).toBe(404);
  });

  it('refuses a request addressed to another host name (DNS rebinding)', async () => {
    server = await startWatchServer(0, () => 'page');
    const { port } = new URL(server.url);
    expect((await get(server.url, { host: `rebound.example:${port}` })).status).toBe(421);
    expect((await get(`${server.url}events`, { host: `localhost:${port}` })).status).toBe(421);
  });

  it('gives a page opened late everything so far, and a reconnecting one only what it missed', async () => {
    server = await startWatchServer(0, () => 'page');
    server.publish({ kind: 'route', state: 'loading_decision', at: '2026-11-30T12:00:00.000Z' });
    server.publish({ kind: 'route', state: 'decision_loaded', at: '2026-11-30T12:00:00.010Z' });
    const late = await get(`${server.url}events`, {}, 'decision_loaded');
    expect(late.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(late.body).toContain('id: 0\ndata: {"kind":"route","state":"loading_decision"');
    const resumed = await get(`${server.url}events`, { 'last-event-id': '0' }, 'decision_loaded');
    expect(resumed.body).not.toContain('loading_decision');
    expect(resumed.body).toContain('id: 1\n');
  });
});
