// Case that behaves, then leaves code under test that reaches for a hosted provider when the
// harness's acceptance check runs it: the attempt comes after the lane's own process is gone.
import { readFileSync, writeFileSync } from 'node:fs';
import { runFakeCase } from './lib.mjs';

const code = 'src/sum.mjs';
const reach = `import { request } from 'node:http';
const proxy = new URL(process.env.HTTPS_PROXY);
await new Promise((resolve) => {
  const req = request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: 'api.anthropic.com:443' });
  req.on('connect', (_res, socket) => { socket.destroy(); resolve(); });
  req.on('error', resolve);
  req.end();
});
`;
// Written as the process exits, after the fake Case's own runs of the check.
process.on('exit', () => writeFileSync(code, reach + readFileSync(code, 'utf8')));
await runFakeCase();
