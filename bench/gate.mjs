// Benchmark 2: `case-route validate` on an input that blocks at the first gate (no decision file),
// as a whole process from cold, interleaved with `node -e 0`. Then, to show where the time goes,
// which modules validate loads, and what importing each heavy one costs in a fresh process.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, median, ROOT, timeProcess } from './lib.mjs';

const CLI = fileURLToPath(new URL('src/cli/main.js', DIST));

// Both processes get only PATH: CTO_HARNESS_CASE_DECISION_FILE is missing, so the run blocks with
// decision_invalid, and nothing in the environment (NODE_OPTIONS, NODE_EXTRA_CA_CERTS, which
// costs every process tens of ms) weighs on one side only.
const ENV = { PATH: process.env.PATH };

const IMPORTS = ['zod', 'xstate', 'execa', 'nanoid', 'dist/src/inputs/decision.js', 'dist/machines/route.machine.js', 'dist/src/run/run-route.js', 'dist/src/cli/commands/run.js'];

async function importMs(specifier) {
  const url = specifier.startsWith('dist/') ? new URL(`../${specifier}`, import.meta.url).href : specifier;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write(String(performance.now() - t));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout) out += chunk;
  return Number(out);
}

async function modulesLoaded() {
  const dir = await mkdtemp(join(tmpdir(), 'case-route-bench-modules-'));
  try {
    const file = join(dir, 'counts.json');
    await timeProcess(process.execPath, ['--import', fileURLToPath(new URL('./module-count.mjs', import.meta.url)), CLI, 'validate'], { env: { ...ENV, BENCH_MODULE_COUNT: file }, cwd: ROOT });
    return JSON.parse(await readFile(file, 'utf8'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function gateLatency({ quick = false } = {}) {
  const n = quick ? 5 : 21;
  const bare = [];
  const validate = [];
  for (let i = 0; i < n + 2; i++) {
    // Alternate which goes first; the first two rounds only warm the file cache.
    const order = i % 2 ? ['validate', 'bare'] : ['bare', 'validate'];
    for (const which of order) {
      const r = which === 'bare'
        ? await timeProcess(process.execPath, ['-e', '0'], { env: ENV })
        : await timeProcess(process.execPath, [CLI, 'validate'], { env: ENV, cwd: ROOT });
      if (which === 'validate' && r.code !== 2) throw new Error(`validate exited ${r.code}, expected 2 (blocked)`);
      if (i >= 2) (which === 'bare' ? bare : validate).push(r.ms);
    }
  }
  const imports = [];
  for (const specifier of IMPORTS) {
    const runs = [];
    for (let k = 0; k < (quick ? 3 : 7); k++) runs.push(await importMs(specifier));
    imports.push({ specifier, ms: median(runs) });
  }
  return { n, bare: median(bare), validate: median(validate), ratio: median(validate) / median(bare), imports, modules: await modulesLoaded() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await gateLatency({ quick: process.argv.includes('--quick') }), null, 2));
}
