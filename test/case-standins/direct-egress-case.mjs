// Case that reaches for a hosted provider directly, through the proxy its environment names, as
// curl, git and Bun's fetch would.
import { request } from 'node:http';
import { runFakeCase } from './lib.mjs';

const proxy = new URL(process.env.HTTPS_PROXY);
await new Promise((resolve) => {
  const req = request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: 'api.anthropic.com:443' });
  req.on('connect', (res, socket) => {
    process.stderr.write(`CONNECT answered ${res.statusCode}\n`);
    socket.destroy();
    resolve();
  });
  req.on('error', resolve);
  req.end();
});
await runFakeCase();
