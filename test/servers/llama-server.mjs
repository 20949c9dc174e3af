// Starts and stops a real llama.cpp `llama-server` for the real-server suite and the fixture
// recorder: the binary from build-llama-server.mjs and the tiny model from make-tiny-model.py,
// both cached outside the repository.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, openSync, closeSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLlamaServer, cacheRoot } from './build-llama-server.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));

// The binary, its source tree and a tiny model, built or generated when missing.
export function prepareLlamaServer() {
  const build = buildLlamaServer();
  const modelDir = join(cacheRoot(), 'models', build.key);
  const model = join(modelDir, 'tiny-qwen2.gguf');
  if (!existsSync(model)) {
    mkdirSync(modelDir, { recursive: true });
    const made = spawnSync('python3', [join(HERE, 'make-tiny-model.py'), '--source', build.source, '--out', `${model}.partial`], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (made.status !== 0) throw new Error("make-tiny-model.py failed (it needs numpy: Debian's python3-numpy package, or pip's numpy)");
    renameSync(`${model}.partial`, model);
  }
  return { ...build, model, modelDir };
}

export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

async function waitReady(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`llama-server exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/health`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`llama-server was not ready within ${timeoutMs} ms`);
}

// `args` are llama-server's own (model, alias, context, router options); host and port are added.
// Its output goes to `logFile`, read when a test fails.
export async function startLlamaServer(binary, args, { logFile, timeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const log = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(binary, ['--host', '127.0.0.1', '--port', String(port), '--threads', '2', ...args], {
    stdio: ['ignore', log, log],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/' },
  });
  if (typeof log === 'number') closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, 'exit');
  try {
    await waitReady(url, child, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    url,
    port,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
