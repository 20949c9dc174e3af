import type { Server } from 'node:http';
import { createServer as createSocketServer, type Socket } from 'node:net';

export interface LoopbackListener {
  port: number;
  close(): Promise<void>;
}

// Sockets are tracked from the raw 'connection' event because CONNECT and upgraded sockets leave
// the HTTP server's own bookkeeping, and `closeAllConnections()` would miss them: a close that
// waits on a client's keep-alive or a half-read stream is not prompt.
//
// With `socketPath`, the same server also answers on that Unix socket: a sandboxed lane has no
// route to the host's loopback, and reaches its proxies only through sockets bound into its view.
export async function listenOnLoopback(server: Server, port = 0, socketPath?: string): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const front = socketPath === undefined ? undefined : createSocketServer((socket) => server.emit('connection', socket));
  if (front) {
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(socketPath, () => {
        front.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      server.close();
      throw error;
    });
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.all([
      new Promise<void>((resolve) => server.close(() => resolve())),
      new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve())),
    ]).then(() => undefined);
    for (const socket of sockets) socket.destroy();
    return closing;
  };
  return { port: address.port, close };
}
