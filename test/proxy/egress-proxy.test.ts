import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEgressDenyProxy, type EgressDenyProxy } from '../../src/proxy/egress-proxy.js';
import { readEgressLog } from '../../src/evidence/egress-log.js';
import { makeTempDir } from '../support/fake-server.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let proxy: EgressDenyProxy;
let logFile: string;

beforeEach(async () => {
  temp = await makeTempDir();
  logFile = join(temp.dir, 'egress.jsonl');
  proxy = await startEgressDenyProxy({ logFile });
});
afterEach(async () => {
  await proxy.close();
  await temp.remove();
});

// What a client speaking raw bytes to the proxy gets back before the proxy hangs up.
function rawExchange(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: proxy.port });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

function proxiedGet(absoluteUrl: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: proxy.port, method: 'GET', path: absoluteUrl, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('egress deny proxy', () => {
  it('listens on 127.0.0.1 and creates an empty log up front', async () => {
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
    expect(await readEgressLog(logFile)).toEqual([]);
  });

  it('refuses a raw CONNECT with 403 and closes, logging host and port only', async () => {
    const answer = await rawExchange(
      'CONNECT api.anthropic.com:443 HTTP/1.1\r\nHost: api.anthropic.com:443\r\nProxy-Authorization: Basic c2VjcmV0LXZhbHVl\r\n\r\n',
    );
    expect(answer.startsWith('HTTP/1.1 403 Forbidden\r\n')).toBe(true);
    await proxy.close();
    const log = await readEgressLog(logFile);
    expect(log).toEqual([{ time: expect.any(String), method: 'CONNECT', host: 'api.anthropic.com', port: 443 }]);
    expect(await readFile(logFile, 'utf8')).not.toContain('c2VjcmV0');
  });

  it('refuses a CONNECT made by node:http, and one to an IPv6 literal with userinfo', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: 'github.com:22' });
      request.on('connect', (response, socket) => {
        socket.destroy();
        resolve(response.statusCode);
      });
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(403);
    expect(await rawExchange('CONNECT user:pw@[2001:DB8::1]:8443 HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 403 /);
    await proxy.close();
    expect((await readEgressLog(logFile)).map(({ method, host, port }) => `${method} ${host} ${port}`)).toEqual([
      'CONNECT github.com 22',
      'CONNECT 2001:db8::1 8443',
    ]);
    expect(await readFile(logFile, 'utf8')).not.toMatch(/user|pw/);
  });

  it('refuses a plain proxied GET with 403 and never logs path, query, userinfo or headers', async () => {
    const status = await proxiedGet('http://alice:hunter2@registry.example.com:8080/private/path?token=abc123', {
      host: 'registry.example.com:8080',
      authorization: 'Bearer header-secret',
    });
    expect(status).toBe(403);
    expect(await proxiedGet('http://pypi.org/simple/', { host: 'pypi.org' })).toBe(403);
    await proxy.close();
    const log = await readEgressLog(logFile);
    expect(log.map(({ method, host, port }) => ({ method, host, port }))).toEqual([
      { method: 'GET', host: 'registry.example.com', port: 8080 },
      { method: 'GET', host: 'pypi.org', port: 80 },
    ]);
    const text = await readFile(logFile, 'utf8');
    for (const leak of ['alice', 'hunter2', 'private', 'token', 'abc123', 'header-secret', 'simple']) expect(text).not.toContain(leak);
  });

  it('survives raw TCP garbage, records it as an unparsable attempt, and keeps serving', async () => {
    const answer = await rawExchange(Buffer.from([0x05, 0x01, 0x00, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(await proxiedGet('http://example.org/', { host: 'example.org' })).toBe(403);
    await proxy.close();
    expect((await readEgressLog(logFile)).map(({ method, host, port }) => `${method} ${host} ${port}`)).toEqual([
      'INVALID  0',
      'GET example.org 80',
    ]);
  });

  it('closes promptly while a client holds an idle connection open', async () => {
    const socket = connect({ host: '127.0.0.1', port: proxy.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const started = performance.now();
    await proxy.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await closed;
  });
});
