// The CLI ships bundled: Node's ESM loader pays for every module it resolves, reads and compiles,
// and the unbundled `validate` loaded 137 of them, 95 from zod (bench/RESULTS.md, gate latency).
// Commands stay lazily loaded chunks; what a run needs up to its gates is one chunk, so `validate`
// and a run blocked before Case starts load two files besides the entry.
const ROUTE_START = [
  'machines/',
  'src/cli/(args|output|exit-codes|help)\\.js',
  'src/cli/commands/run\\.js',
  'src/(run|inputs|gates)/',
  'src/paths\\.js',
  'src/evidence/redact(\\.js|/)',
  'src/local-server/',
  'src/report/(generator|artifact-names)\\.js',
  // Not zod's JSON Schema generator: only `case-route schema` uses it.
  'node_modules/zod/v4/(mini/|core/(?!to-json-schema|json-schema)|locales/en)',
  'node_modules/(xstate|nanoid|jsonc-parser)/',
];

export default {
  input: { 'case-route': 'dist/src/cli/main.js' },
  platform: 'node',
  // jsonc-parser's `main` is a UMD build that Node would load through its CommonJS loader.
  resolve: { mainFields: ['module', 'main'] },
  // Loaded only for `--inspect`; ws has optional native add-ons that a bundle cannot resolve.
  external: [/^node:/, '@statelyai/inspect', 'ws'],
  output: {
    dir: 'dist/bin',
    format: 'esm',
    entryFileNames: '[name].mjs',
    chunkFileNames: 'chunks/[name]-[hash].mjs',
    minify: true,
    // The route diagram names xstate's not/and/or guards by their function names.
    keepNames: true,
    codeSplitting: { groups: [{ name: 'route-start', test: new RegExp(`[\\\\/](${ROUTE_START.join('|')})`) }] },
  },
};
