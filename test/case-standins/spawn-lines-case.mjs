// Runs like Case, but also logs a spawn in a shape the verdict must not skip: a plain-text line
// (`text`) or a JSON record with the model given twice (`duplicate`), where JSON.parse would keep
// only the admitted one.
import { runFakeCase } from './lib.mjs';

if (process.argv[2] === 'text') {
  process.stderr.write('spawning agent implementer with anthropic/claude-sonnet-4-6\n');
} else {
  process.stderr.write('{"level":"info","msg":"spawning agent","agent":"implementer","provider":"openai","model":"claude-sonnet-4-6","model":"qwen3.6-35b-a3b"}\n');
}
await runFakeCase();
