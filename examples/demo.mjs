// The demo: serve the scripted local model on loopback, then run the whole route on the fake
// lane against it, with the example decision record and admission file. Exits with the run's
// exit code. This is what a harness script does; only the provider is a stand-in.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const cli = here('../dist/bin/case-route.mjs');
const model = 'qwen3.6-35b-a3b';

const provider = execa(process.execPath, [cli, 'provider', '--model', model, '--script', here('./fixtures/sum-bug/model-script.json')], {
  stdin: 'ignore',
  stderr: 'inherit',
  reject: false,
});
const [line] = await once(createInterface({ input: provider.stdout }), 'line');
const { url } = JSON.parse(line);
process.stderr.write(`demo: scripted local provider for ${model} at ${url}\n`);

const run = await execa(process.execPath, [cli, 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  reject: false,
  env: {
    CTO_HARNESS_CASE_DECISION_FILE: here('./decision.json'),
    CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: here('./admission.json'),
    CTO_HARNESS_CASE_MODEL_PROVIDER: 'qwen-local',
    CTO_HARNESS_CASE_MODEL: model,
    CTO_HARNESS_CASE_LOCAL_BASE_URL: url,
  },
});
provider.kill('SIGTERM');
await provider;
process.exitCode = run.exitCode ?? 1;
