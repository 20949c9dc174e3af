#!/usr/bin/env node
// Builds llama.cpp's `llama-server` (CPU only) from the llama.cpp release that the npm package
// node-llama-cpp ships as `llama/gitRelease.bundle`, and caches it outside the repo, keyed by the
// bundle's release tag and commit, so `npm run test:servers` builds only when the binary is missing.
//
// node-llama-cpp is fetched with `npm pack` (the tarball only): installing it as a dependency
// would download prebuilt binaries we do not want and weigh hundreds of megabytes.
//
// Prints one JSON line on stdout: { nodeLlamaCpp, tag, commit, key, source, binary }.
// Progress goes to stderr. Usage: node test/servers/build-llama-server.mjs [--jobs N]

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

// Pinned so that "Tested with" in the README names one llama.cpp; override to try another.
const NODE_LLAMA_CPP_VERSION = process.env.CASE_ROUTE_NODE_LLAMA_CPP_VERSION ?? '3.22.1';

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'case-local-route');
}

function log(message) {
  process.stderr.write(`[build-llama-server] ${message}\n`);
}

function run(command, args, options = {}) {
  log(`${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: ['ignore', process.stderr, process.stderr], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} exited with ${result.status ?? result.signal}`);
}

function capture(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options }).trim();
}

function packBundle(root) {
  const packDir = join(root, 'node-llama-cpp', NODE_LLAMA_CPP_VERSION);
  const bundle = join(packDir, 'package', 'llama', 'gitRelease.bundle');
  const info = join(packDir, 'package', 'llama', 'llama.cpp.info.json');
  if (existsSync(bundle) && existsSync(info)) return { bundle, info };
  mkdirSync(packDir, { recursive: true });
  const tarball = join(packDir, `node-llama-cpp-${NODE_LLAMA_CPP_VERSION}.tgz`);
  if (!existsSync(tarball)) {
    run('npm', ['pack', `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`, '--silent', '--pack-destination', packDir]);
  }
  run('tar', ['xzf', tarball, '-C', packDir, 'package/llama/gitRelease.bundle', 'package/llama/llama.cpp.info.json']);
  rmSync(tarball);
  return { bundle, info };
}

export function buildLlamaServer({ jobs = 2 } = {}) {
  const root = cacheRoot();
  const { bundle, info } = packBundle(root);
  const { tag } = JSON.parse(readFileSync(info, 'utf8'));
  const commit = capture('git', ['bundle', 'list-heads', bundle]).split(/\s+/)[0];
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`cannot read the commit of ${bundle}`);
  const key = `${tag}-${commit.slice(0, 12)}`;
  const dir = join(root, 'llama.cpp', key);
  const source = join(dir, 'src');
  const binary = join(dir, 'bin', 'llama-server');
  const result = { nodeLlamaCpp: NODE_LLAMA_CPP_VERSION, tag, commit, key, source, binary };
  if (existsSync(binary)) return result;

  if (!existsSync(join(source, 'CMakeLists.txt'))) {
    rmSync(source, { recursive: true, force: true });
    run('git', ['clone', '--quiet', bundle, source]);
  }
  const build = join(dir, 'build');
  run('cmake', [
    '-S', source, '-B', build,
    '-DCMAKE_BUILD_TYPE=Release',
    '-DBUILD_SHARED_LIBS=OFF',
    '-DGGML_NATIVE=ON',
    '-DGGML_CUDA=OFF', '-DGGML_VULKAN=OFF', '-DGGML_METAL=OFF',
    // The server's web UI is not needed and its prebuilt copy would be downloaded at configure time.
    '-DLLAMA_BUILD_UI=OFF', '-DLLAMA_USE_PREBUILT_UI=OFF',
    '-DLLAMA_BUILD_TESTS=OFF', '-DLLAMA_BUILD_EXAMPLES=OFF',
    '-DLLAMA_OPENSSL=OFF',
  ]);
  run('cmake', ['--build', build, '--target', 'llama-server', '-j', String(jobs)]);
  const built = join(build, 'bin', 'llama-server');
  if (!existsSync(built)) throw new Error(`the build finished without ${built}`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  // Renamed into place last, so an interrupted build is never mistaken for a cached binary.
  renameSync(built, `${binary}.partial`);
  renameSync(`${binary}.partial`, binary);
  rmSync(build, { recursive: true, force: true });
  writeFileSync(join(dir, 'build.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { jobs: { type: 'string', default: '2' } } });
  const result = buildLlamaServer({ jobs: Number(values.jobs) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
