// A deterministic artifact that looks like what the harness redacts: Case's stderr, JSON events,
// SSE chunks, code, prose and proxy audit lines, with a sprinkle of secrets of every shape the
// redactor knows (about one per 4 KiB) and absolute paths of the run's workspace, checkout, cwd
// and home (in about a third of the lines). The paths are made up; none is this machine's.

// Mulberry32: a seeded PRNG, so every run scans the same text.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const KNOWN_SECRETS = ['upstream-key-51d0e2aa', 'lane-token-7f3c9a1b2c3d', 'parent-openai-key-value'];

export const PATHS = [
  { path: '/tmp/case-route-Xy12ab', label: '<workspace>' },
  { path: '/opt/checkout/case-local-route', label: '<case-local-route>' },
  { path: '/opt/checkout', label: '<cwd>' },
  { path: '/users/bench', label: '~' },
];

const WORDS = (
  'the implementer read sum file and found that it subtracts its arguments so the change makes it add them ' +
  'tests pass after running node check on the fixture copy reviewer agrees verifier ran acceptance command ' +
  'pipeline completed with status ok agent spawned role model provider request response stream token usage'
).split(' ');
const HEX = '0123456789abcdef';
const NANOID = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export function makeCorpus(bytes, seed = 6) {
  const rand = rng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const chars = (alphabet, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
    return s;
  };
  const word = (n) => chars(ALNUM, n);
  const prose = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const secrets = [
    () => `sk-ant-api03-${word(40)}`,
    () => `sk-proj-${word(32)}`,
    () => `hf_${word(30)}`,
    () => `AKIA${word(16).toUpperCase()}`,
    () => `ghp_${word(36)}`,
    () => `github_pat_${word(40)}`,
    () => `Bearer ${word(24)}`,
    () => `eyJ${word(20)}.${word(30)}.${word(20)}`,
    () => `https://example.invalid/v1?api_key=${word(20)}&x=1`,
    () => pick(KNOWN_SECRETS),
  ];
  const lines = [
    () => `[case] spawning agent role=${pick(['implementer', 'verifier', 'reviewer'])} provider=openai model=qwen3.6-35b-a3b cwd=${PATHS[0].path}/lanes/fake/repo`,
    () => `{"ts":"2025-01-01T00:00:${String(Math.floor(rand() * 60)).padStart(2, '0')}.000Z","type":"tool_call","name":"bash","args":{"cmd":"node test/check.mjs"},"id":"call_${chars(NANOID, 12)}"}`,
    () => `{"time":"2025-01-01T00:00:00.000Z","method":"POST","path":"/v1/chat/completions","model":"qwen3.6-35b-a3b","status":200,"bytes_in":${Math.floor(rand() * 9000)},"bytes_out":${Math.floor(rand() * 4000)},"latency_ms":3,"streamed":true,"refused":null}`,
    () => `    at ${pick(['runLane', 'superviseLanes', 'Object.<anonymous>', 'async Promise.all'])} (${pick(PATHS).path}/dist/src/lanes/run-lane.js:${Math.floor(rand() * 200)}:${Math.floor(rand() * 40)})`,
    () => `${prose(8 + Math.floor(rand() * 16))}.`,
    () => `  const ${pick(['total', 'result_value', 'lane_dir', 'count'])} = ${pick(['sum', 'await readFile', 'parseArgs'])}(${pick(['a, b', 'file', 'args'])}); // ${prose(5)}`,
    () => `diff --git a/src/sum.js b/src/sum.js index ${chars(HEX, 7)}..${chars(HEX, 7)} 100644`,
    () => `data: {"id":"chatcmpl-${chars(NANOID, 21)}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"${prose(3)}"}}]}`,
  ];
  const parts = [];
  let size = 0;
  let sinceSecret = 0;
  while (size < bytes) {
    let line = pick(lines)();
    if (sinceSecret > 4096) {
      line += ` token=${pick(secrets)()} end`;
      sinceSecret = 0;
    }
    parts.push(line);
    size += line.length + 1;
    sinceSecret += line.length + 1;
  }
  return parts.join('\n').slice(0, bytes);
}

// A stress case for the redactor: a stack trace, an absolute path on every line, and a known
// secret on every fifth.
export function makeDenseCorpus(bytes) {
  const lines = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `    at ${i % 2 ? 'runLane' : 'superviseLanes'} (${PATHS[i % PATHS.length].path}/dist/src/lanes/run-lane.js:${i % 200}:${i % 40})${i % 5 ? '' : ` ${KNOWN_SECRETS[0]}`}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n').slice(0, bytes);
}
