// Loaded with `node --import` into a process under test: counts the modules it loads, by package
// (dist for the project's own), and writes the counts as JSON to the file in BENCH_MODULE_COUNT.
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const counts = {};
port1.on('message', (url) => {
  const group = url.startsWith('node:') ? 'node builtins' : url.includes('/node_modules/') ? url.split('/node_modules/').at(-1).split('/').slice(0, url.split('/node_modules/').at(-1).startsWith('@') ? 2 : 1).join('/') : url.includes('/dist/') ? 'dist (this project)' : 'other';
  counts[group] = (counts[group] ?? 0) + 1;
});
port1.unref();
const hooks = 'let port; export function initialize(data) { port = data.port; } export function load(url, context, next) { port.postMessage(url); return next(url, context); }';
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => writeFileSync(process.env.BENCH_MODULE_COUNT, JSON.stringify(counts)));
