// One HTTP/1.1 exchange over a plain TCP socket, keeping the answer's bytes exactly as the
// server sent them and noting whether it closed the connection afterwards: node:http would
// decode the chunking and hide the close, which is the behaviour being recorded.
import { connect } from 'node:net';

const CLOSE_WAIT_MS = 300;

function headerEnd(buffer) {
  return buffer.indexOf('\r\n\r\n');
}

// Complete once the body announced by the head has arrived: Content-Length bytes, or the last
// chunk of a chunked body. Without either, the server ends the body by closing.
function bodyComplete(head, body) {
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) return body.length >= Number(length[1]);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return body.includes('\r\n0\r\n\r\n') || body.subarray(0, 5).toString('latin1') === '0\r\n\r\n';
  return false;
}

export function rawExchange(port, { method, path, headers = {}, body }) {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: keep-alive', 'Accept: */*'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (payload) lines.push('Content-Type: application/json', `Content-Length: ${payload.length}`);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    let complete = false;
    let closeTimer;
    const finish = (closed) => {
      clearTimeout(closeTimer);
      socket.destroy();
      resolve({ raw: Buffer.concat(chunks), closesConnection: closed });
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (complete) return;
      const all = Buffer.concat(chunks);
      const end = headerEnd(all);
      if (end < 0) return;
      const head = all.subarray(0, end).toString('latin1');
      if (bodyComplete(head, all.subarray(end + 4))) {
        complete = true;
        // Kept alive or not: a server that closes does so right after the last byte.
        closeTimer = setTimeout(() => finish(false), CLOSE_WAIT_MS);
      }
    });
    socket.on('end', () => finish(true));
    socket.on('error', reject);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (payload) socket.write(payload);
  });
}

// The status line, the headers and the decoded body of a raw answer.
export function parseRaw(raw) {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end).toString('latin1').split('\r\n');
  const [statusLine, ...headerLines] = head;
  const headers = headerLines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  let body = raw.subarray(end + 4);
  if (headers.some(([name, value]) => name.toLowerCase() === 'transfer-encoding' && /chunked/i.test(value))) {
    const parts = [];
    let at = 0;
    while (at < body.length) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!size) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { statusLine, status: Number(statusLine.split(' ')[1]), headers, body };
}
