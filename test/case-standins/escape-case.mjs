// Tries every way around its recording proxy to the local server's port (given as the first
// argument): a plain TCP connection, Node's fetch (which ignores the proxy variables) and a UDP
// datagram. It prints what it reached, then runs like Case.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { runFakeCase } from './lib.mjs';

const port = Number(process.argv[2]);
const reached = [];
await new Promise((resolve) => {
  const socket = connect({ host: '127.0.0.1', port }, () => {
    reached.push('tcp');
    socket.destroy();
    resolve();
  });
  socket.on('error', resolve);
});
try {
  const answer = await fetch(`http://127.0.0.1:${port}/v1/models`, { signal: AbortSignal.timeout(3000) });
  reached.push(`fetch ${answer.status}`);
} catch {
  // refused
}
await new Promise((resolve) => {
  const socket = createSocket('udp4');
  socket.send('x', port, '127.0.0.1', () => {
    socket.close();
    resolve();
  });
});
console.log(`escape: reached ${reached.length === 0 ? 'nothing' : reached.join(', ')}`);
await runFakeCase();
