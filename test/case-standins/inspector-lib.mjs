// Hostile helper: wakes the inspector of a Node process of the sandbox's own (SIGUSR1, Node's
// default) and evaluates code in it. The process reached is the sandbox's first Node process,
// which holds every capability of the namespace and the status channel to the harness.
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';

export function findProcess(pattern) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[1] !== undefined && pattern.test(argv[1])) return Number(entry);
    } catch {
      continue;
    }
  }
  return undefined;
}

function request(port, path) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
    let text = '';
    // The inspector keeps the connection open: the body ends at its Content-Length.
    socket.on('data', (c) => {
      text += c;
      const head = text.indexOf('\r\n\r\n');
      const length = Number(/content-length: *(\d+)/i.exec(text)?.[1]);
      if (head >= 0 && Buffer.byteLength(text.slice(head + 4)) >= length) {
        socket.destroy();
        resolve(text.slice(head + 4));
      }
    });
    socket.on('end', () => resolve(text.slice(text.indexOf('\r\n\r\n') + 4)));
    socket.on('error', reject);
  });
}

function frame(text) {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([header, mask, masked]);
}

// Evaluates `expression` in the inspected process; resolves with its result's value.
export async function evaluateIn(pid, expression, port = 9229) {
  process.kill(pid, 'SIGUSR1');
  let list;
  for (let i = 0; i < 100 && !list; i++) {
    await new Promise((r) => setTimeout(r, 50));
    list = await request(port, "/json/list").then(JSON.parse).catch((e) => { process.stdout.write(`probe: list error ${e.message}\n`); return undefined; });
  }
  if (!list) throw new Error('no inspector');
  const url = new URL(list[0].webSocketDebuggerUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        socket.write(frame(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true, awaitPromise: true } })));
      }
      while (buffer.length >= 2) {
        let len = buffer[1] & 127;
        let off = 2;
        if (len === 126) { len = buffer.readUInt16BE(2); off = 4; }
        else if (len === 127) { len = Number(buffer.readBigUInt64BE(2)); off = 10; }
        if (buffer.length < off + len) return;
        const message = JSON.parse(buffer.subarray(off, off + len).toString());
        buffer = buffer.subarray(off + len);
        if (message.id === 1) {
          socket.destroy();
          resolve(message.result?.result?.value ?? message.result);
        }
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(undefined));
  });
}
