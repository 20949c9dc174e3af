// A child process forwarding HTTP to an upstream (argv[2]) with nothing else: no token, no body
// check, no audit. It is the floor any node:http proxy pays on this machine, to compare with.
import { Agent, createServer, request } from 'node:http';
import { serveUsage } from './lib.mjs';

const upstream = new URL(process.argv[2]);
const agent = new Agent({ keepAlive: true });
const server = createServer((req, res) => {
  const forwarded = request(
    { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, agent, headers: { 'content-type': req.headers['content-type'], 'content-length': req.headers['content-length'] } },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  forwarded.on('error', () => res.destroy());
  req.pipe(forwarded);
});
await new Promise((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
serveUsage(async () => {
  server.closeAllConnections();
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
});
process.send({ ready: true, url: `http://127.0.0.1:${server.address().port}/v1` });
