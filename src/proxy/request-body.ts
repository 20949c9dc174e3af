import type { IncomingMessage } from 'node:http';

export type RequestBody = { ok: true; body: Buffer } | { ok: false; bytesRead: number };

// Resolves `ok: false` as soon as the limit is crossed (or announced by Content-Length) instead
// of reading the rest: the caller answers 413 and closes the connection.
export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<RequestBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.resolve({ ok: false, bytesRead: 0 });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytesRead = 0;
    const onData = (chunk: Buffer): void => {
      bytesRead += chunk.length;
      if (bytesRead > maxBytes) {
        cleanup();
        req.pause();
        resolve({ ok: false, bytesRead });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ ok: true, body: Buffer.concat(chunks, bytesRead) });
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('client closed the connection before the request body ended'));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onClose);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onClose);
    req.on('close', onClose);
  });
}
