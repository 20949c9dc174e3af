// Benchmark 2: `case-route validate` on inputs that block, as a whole process from cold,
// interleaved with `node -e 0`: with no decision record (blocked at the first gate), and with both
// input files read and parsed, blocked at the admission gate (the last gate before the provider).
// The unbundled build of the same CLI (dist/src/cli/main.js, what `bin` pointed at before) runs in
// the same rounds, to show what bundling moved; then the modules each loads.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, median, MODEL, ROOT, timeProcess } from './lib.mjs';

const BUNDLED = fileURLToPath(new URL('bin/case-route.mjs', DIST));
const UNBUNDLED = fileURLToPath(new URL('src/cli/main.js', DIST));

// Only PATH, so nothing in the environment (NODE_OPTIONS, NODE_EXTRA_CA_CERTS, which costs every
// process tens of ms) weighs on one side only.
const BARE_ENV = { PATH: process.env.PATH };
const MISMATCH_ENV = {
  ...BARE_ENV,
  CTO_HARNESS_CASE_DECISION_FILE: join(ROOT, 'examples', 'decision.json'),
  CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: join(ROOT, 'examples', 'admission.json'),
  CTO_HARNESS_CASE_MODEL_PROVIDER: 'qwen-local',
  CTO_HARNESS_CASE_MODEL: `${MODEL}-not-admitted`,
  CTO_HARNESS_CASE_LOCAL_BASE_URL: 'http://127.0.0.1:9/v1',
};

const ARMS = {
  bare: { args: ['-e', '0'], env: BARE_ENV, code: 0 },
  missing: { args: [BUNDLED, 'validate'], env: BARE_ENV, code: 2 },
  mismatch: { args: [BUNDLED, 'validate'], env: MISMATCH_ENV, code: 2 },
  unbundled: { args: [UNBUNDLED, 'validate'], env: BARE_ENV, code: 2 },
};

async function modulesLoaded(cli) {
  const dir = await mkdtemp(join(tmpdir(), 'case-route-bench-modules-'));
  try {
    const file = join(dir, 'counts.json');
    await timeProcess(process.execPath, ['--import', fileURLToPath(new URL('./module-count.mjs', import.meta.url)), cli, 'validate'], { env: { ...BARE_ENV, BENCH_MODULE_COUNT: file }, cwd: ROOT });
    return JSON.parse(await readFile(file, 'utf8'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function gateLatency({ quick = false } = {}) {
  const n = quick ? 5 : 21;
  const times = Object.fromEntries(Object.keys(ARMS).map((name) => [name, []]));
  const names = Object.keys(ARMS);
  for (let i = 0; i < n + 2; i++) {
    // Rotate which goes first; the first two rounds only warm the file cache.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      const { args, env, code } = ARMS[name];
      const r = await timeProcess(process.execPath, args, { env, cwd: ROOT });
      if (r.code !== code) throw new Error(`${name}: exited ${r.code}, expected ${code}`);
      if (i >= 2) times[name].push(r.ms);
    }
  }
  const ms = Object.fromEntries(names.map((name) => [name, median(times[name])]));
  return { n, ms, modules: { bundled: await modulesLoaded(BUNDLED), unbundled: await modulesLoaded(UNBUNDLED) } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await gateLatency({ quick: process.argv.includes('--quick') }), null, 2));
}
