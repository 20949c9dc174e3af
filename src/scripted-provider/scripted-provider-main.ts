import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EXIT } from '../cli/exit-codes.js';
import { waitForStopSignal } from '../cli/stop-signal.js';
import { ModelScriptSchema, type ModelScript } from './model-script.js';
import { startScriptedProvider, type ScriptedProvider } from './scripted-provider.js';

export interface ProviderCommandArgs {
  model: string;
  port?: number;
  scriptFile?: string;
}

type Loaded = { ok: true; script: ModelScript } | { ok: false; message: string };

// Messages name the file by its base name only: the script may sit under a user's home.
async function loadScript(file: string): Promise<Loaded> {
  const name = basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, message: `model script ${name}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: `model script ${name}: not valid JSON` };
  }
  const parsed = ModelScriptSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(root)';
    return { ok: false, message: `model script ${name}: field ${field}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, script: parsed.data };
}

function usage(message: string): number {
  process.stderr.write(`case-route provider: ${message}\n`);
  return EXIT.usage;
}

export async function runProviderCommand(args: ProviderCommandArgs): Promise<number> {
  if (args.model.trim() === '') return usage('--model must not be empty');
  if (args.port !== undefined && !(Number.isInteger(args.port) && args.port >= 0 && args.port <= 65535)) {
    return usage('--port must be an integer from 0 to 65535');
  }
  const loaded: Loaded = args.scriptFile === undefined ? { ok: true, script: { roles: {} } } : await loadScript(args.scriptFile);
  if (!loaded.ok) return usage(loaded.message);

  let provider: ScriptedProvider;
  try {
    provider = await startScriptedProvider({ model: args.model, script: loaded.script, port: args.port ?? 0 });
  } catch (error) {
    process.stderr.write(`case-route provider: cannot listen: ${(error as NodeJS.ErrnoException).code ?? 'error'}\n`);
    return EXIT.fail;
  }
  const stopped = waitForStopSignal();
  process.stdout.write(`${JSON.stringify({ url: provider.url, model: args.model })}\n`);
  await stopped;
  await provider.close();
  return EXIT.pass;
}
