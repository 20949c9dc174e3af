// Benchmark 4: redaction, then the pre-finish secret and path scan of the redacted text, over a
// generated artifact of 25, 50 and 100 MB (MB = 10^6 bytes) with the full pattern set. Before
// timing, the redactor is checked against the reference (pre-fast-path) redactor.
import { fileURLToPath } from 'node:url';
import { createRedactor, REDACTED, SECRET_PATTERNS } from '../dist/src/evidence/redact.js';
import { KNOWN_SECRETS, makeCorpus, makeDenseCorpus, PATHS } from './corpus.mjs';
import { median } from './lib.mjs';
import { createReferenceRedactor as referenceWith } from '../test/support/redact-reference.mjs';

const createReferenceRedactor = (values, paths) => referenceWith({ REDACTED, SECRET_PATTERNS }, values, paths);

// A string as readFile would give it: flat, not a slice of a larger one.
const flat = (text) => Buffer.from(text, 'latin1').toString('latin1');

// Random texts above the fast path's size, full of literals, near-misses, line starts and
// replacements, under configurations that turn each of its shortcuts on and off; a third of the
// texts dense with literals, a third sparse, and a third sparse with only paths and known values.
function equivalence(cases) {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const configs = [
    { values: KNOWN_SECRETS, paths: PATHS },
    { values: ['aa/bb/cc/secret', '/bb/cc-xyz', 'bbbbbb', 'bbbbbbbbb'], paths: [{ path: '/aa/bb', label: '<A>' }, { path: '/aa/bb', label: '<B>' }, { path: '/aa/bb/cc', label: '<C>' }, { path: 'aa/bb/cc/dd', label: '<E>' }] },
    { values: ['&secret1', '{token1', 'sk-abc', 'Bearer'], paths: [{ path: '{/p/q', label: 'x' }, { path: '/x/y', label: 'Bearer' }, { path: '/a/b', label: '~' }] },
    { values: ['with space'], paths: [{ path: '/users/u', label: '~' }] },
  ];
  const basics = ['\n', '\n', ' ', '\t', '{', '[', '"', '?', '&', '=', '.', '-', '/', '\u2014', '\u00a0', 'abc', 'XYZ019', 'sk-ant-', 'sk-', 'sk-proj-', 'hf_', 'AKIA', 'ASIA', 'ghp_', 'github_pat_', 'Bearer ', 'Bearer\n', 'eyJ', '?key=', '&Token=', '[REDACTED]'];
  for (let i = 0; i < cases; i++) {
    const { values, paths } = configs[i % configs.length];
    const fragments = [...basics, ...values, ...paths.map((p) => p.path), ...paths.map((p) => p.label), 'ABCDEFGHIJ0123456789', 'abcdefghijklmnopqrst'];
    const literals = [...values, ...paths.map((p) => p.path)];
    const filler = ['\n{plain text line ', '\nplain text ', ' ', 'x', '.', '-', '/', `\n${'y'.repeat(30)}`];
    const part = [
      () => (rand() < 0.3 ? '\n{plain text line ' : pick(fragments)),
      () => (rand() < 0.05 ? pick(fragments) : pick(filler)),
      () => (rand() < 0.06 ? pick(literals) + pick(['', ...literals, '.', '-', '/', 'a', ' ']) : pick(filler)),
    ][Math.floor(i / configs.length) % 3];
    const parts = [];
    for (let size = 0; size < 70_000 + rand() * 60_000; ) {
      const piece = part();
      parts.push(piece);
      size += piece.length;
    }
    const text = parts.join('');
    const [fast, reference] = [createRedactor(values, paths), createReferenceRedactor(values, paths)];
    const [a, b] = [fast.redact(text), reference.redact(text)];
    const same = (x, y) => x.secret === y.secret && x.path === y.path;
    if (a !== b || fast.count !== reference.count || !same(fast.scan(text), reference.scan(text)) || !same(fast.scan(a), reference.scan(b))) {
      throw new Error(`redactor differs from the reference on random case ${i}`);
    }
  }
  return cases;
}

// Each timing starts from a collected heap (run with --expose-gc), so that it pays for its own
// garbage and not for what the run before it left.
function timeOnce(make, text) {
  globalThis.gc?.();
  const redactor = make(KNOWN_SECRETS, PATHS);
  let started = performance.now();
  const out = redactor.redact(text);
  const redactMs = performance.now() - started;
  started = performance.now();
  const found = redactor.scan(out);
  return { redactMs, scanMs: performance.now() - started, count: redactor.count, out, found };
}

export function scanThroughput({ quick = false } = {}) {
  const checked = equivalence(quick ? 24 : 120);
  const full = flat(makeCorpus(100e6));
  const sample = full.slice(0, 8e6);
  const [fastSample, referenceSample] = [createRedactor(KNOWN_SECRETS, PATHS), createReferenceRedactor(KNOWN_SECRETS, PATHS)];
  if (fastSample.redact(sample) !== referenceSample.redact(sample) || fastSample.count !== referenceSample.count) {
    throw new Error('redactor differs from the reference on the corpus');
  }
  timeOnce(createRedactor, full.slice(0, 4e6));
  // The sizes take turns, so that a machine getting faster or slower during the run moves them
  // all alike.
  const sizes = [25, 50, 100].map((mb) => ({ mb, text: flat(full.slice(0, mb * 1e6)), runs: [] }));
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    for (const size of sizes) {
      const { redactMs, scanMs, count } = timeOnce(createRedactor, size.text);
      size.runs.push({ redactMs, scanMs, count });
    }
  }
  const rows = sizes.map(({ mb, runs }) => {
    const redactMs = median(runs.map((r) => r.redactMs));
    const scanMs = median(runs.map((r) => r.scanMs));
    return { mb, redactMs, scanMs, mbPerSecond: (mb * 1000) / (redactMs + scanMs), redactions: runs[0].count };
  });
  // The reference, once per size, for the before/after in the same run.
  const reference = [25, 100].map((mb) => {
    const r = timeOnce(createReferenceRedactor, flat(full.slice(0, mb * 1e6)));
    return { mb, redactMs: r.redactMs, scanMs: r.scanMs, mbPerSecond: (mb * 1000) / (r.redactMs + r.scanMs) };
  });
  // Paths on every line: where the fast path gains least.
  const dense = flat(makeDenseCorpus(25e6));
  const [denseFast, denseReference] = [timeOnce(createRedactor, dense), timeOnce(createReferenceRedactor, dense)];
  if (denseFast.out !== denseReference.out || denseFast.count !== denseReference.count || denseFast.found.secret !== denseReference.found.secret || denseFast.found.path !== denseReference.found.path) {
    throw new Error('redactor differs from the reference on the dense corpus');
  }
  const denseRuns = { fast: [], reference: [] };
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    for (const [name, make] of [['fast', createRedactor], ['reference', createReferenceRedactor]]) {
      const { redactMs, scanMs } = timeOnce(make, dense);
      denseRuns[name].push(25_000 / (redactMs + scanMs));
    }
  }
  return { equivalenceCases: checked, rows, reference, dense: { mb: 25, fast: { mbPerSecond: median(denseRuns.fast) }, reference: { mbPerSecond: median(denseRuns.reference) } } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(scanThroughput({ quick: process.argv.includes('--quick') }), null, 2));
}
