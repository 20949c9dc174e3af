import { spawn } from 'node:child_process';
import { readSync, writeSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { constants } from 'node:os';

// The lane's first process in its namespaces. It bridges loopback ports inside the namespace to
// the harness's Unix sockets (the lane's only way out), then runs the lane's command, and exits
// with its status: the namespace's PID 1 then exits, and the kernel kills whatever the lane left.
// The status also goes to the harness on fd 3, which the lane never holds (its own fd 3 is a
// fresh pipe), because a process killed by a signal can only be told apart there.

// Node opens its inspector on SIGUSR1, and the lane runs as the same user: without a handler, the
// lane could signal this process and run code in it.
process.on('SIGUSR1', () => undefined);

interface InitConfig {
  readonly bridges: ReadonlyArray<{ readonly port: number; readonly socket: string }>;
  readonly argv: readonly string[];
  readonly cwd: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as InitConfig;

// Started while the sandbox's mounts are still being made: wait for the setup's `go` (end of
// input without it means the setup failed, and the namespace is going away).
const go = Buffer.alloc(3);
let read = 0;
while (read < go.length) {
  const n = readSync(0, go, read, go.length - read, null);
  if (n === 0) process.exit(125);
  read += n;
}
if (go.toString() !== 'go\n') process.exit(125);
process.chdir(config.cwd);

function bridge(port: number, socketPath: string): Promise<Server> {
  const server = createServer((client: Socket) => {
    const upstream = connect(socketPath);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}

try {
  await Promise.all(config.bridges.map((b) => bridge(b.port, b.socket)));
} catch (error) {
  process.stderr.write(`case-route sandbox: cannot bridge the harness's proxies (${(error as Error).message})\n`);
  process.exit(125);
}

// This process was started without capabilities, so the lane has none either: it cannot remount
// its view writable.
const [program, ...args] = config.argv;
const child = spawn(program ?? '', args, { stdio: ['ignore', 'inherit', 'inherit', 'pipe'] });
child.on('error', (error) => {
  process.stderr.write(`case-route sandbox: cannot start the lane (${error.message})\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  try {
    writeSync(3, JSON.stringify({ code, signal }));
  } catch {
    // started without a status channel
  }
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
});
// Signals from the harness reach the lane through its process group; this process only waits.
process.on('SIGTERM', () => undefined);
process.on('SIGINT', () => undefined);
