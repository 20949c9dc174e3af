import { request } from 'node:http';

// Put on a lane's PATH as `gh`. It only relays its arguments to the harness's gh recorder
// (src/proxy/gh-recorder.ts), which decides and records; node:http ignores the proxy variables,
// so the call reaches the recorder's loopback port and nothing else.
const [, , recorderFlag, recorderUrl, , ...args] = process.argv;
if (recorderFlag !== '--recorder' || !recorderUrl) {
  process.stderr.write('gh stand-in: started without its recorder\n');
  process.exit(2);
}

const body = JSON.stringify({ args });
const req = request(recorderUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => {
    const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { allowed: boolean; url?: string };
    if (answer.allowed && answer.url) {
      process.stdout.write(`${answer.url}\n`);
      process.exit(0);
    }
    const command = args.filter((arg) => !arg.startsWith('-')).slice(0, 2).join(' ');
    process.stderr.write(`gh ${command}: refused; this lane has no GitHub access (case-local-route)\n`);
    process.exit(1);
  });
});
req.on('error', () => {
  process.stderr.write('gh stand-in: the recorder did not answer\n');
  process.exit(1);
});
req.end(body);
