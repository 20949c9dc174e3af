import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { execa } from 'execa';

// The four tools real Case offers its implementer (read, write, edit, bash), with the argument
// shapes pi uses, run in the lane's repo with the lane's scrubbed environment.
export const TOOL_DEFINITIONS = [
  { name: 'read', parameters: { path: 'string', offset: 'number?', limit: 'number?' } },
  { name: 'write', parameters: { path: 'string', content: 'string' } },
  { name: 'edit', parameters: { path: 'string', edits: 'Array<{oldText,newText}>' } },
  { name: 'bash', parameters: { command: 'string', timeout: 'number?' } },
].map(({ name, parameters }) => ({
  type: 'function',
  function: {
    name,
    parameters: {
      type: 'object',
      properties: Object.fromEntries(Object.keys(parameters).map((key) => [key, {}])),
    },
  },
}));

type Args = Record<string, unknown>;

function str(args: Args, key: string): string {
  const value = args[key];
  if (typeof value !== 'string') throw new Error(`argument "${key}" must be a string`);
  return value;
}

export async function runTool(name: string, rawArguments: string, cwd: string): Promise<string> {
  let args: Args;
  try {
    args = JSON.parse(rawArguments || '{}') as Args;
  } catch {
    return 'error: tool arguments are not a JSON string';
  }
  try {
    switch (name) {
      case 'read':
        return await readFile(resolve(cwd, str(args, 'path')), 'utf8');
      case 'write': {
        const target = resolve(cwd, str(args, 'path'));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, str(args, 'content'));
        return `wrote ${str(args, 'path')}`;
      }
      case 'edit': {
        const target = resolve(cwd, str(args, 'path'));
        let text = await readFile(target, 'utf8');
        for (const edit of (args.edits as Array<{ oldText: string; newText: string }>) ?? []) {
          if (text.split(edit.oldText).length !== 2) throw new Error('oldText must occur exactly once');
          text = text.replace(edit.oldText, () => edit.newText);
        }
        await writeFile(target, text);
        return `edited ${str(args, 'path')}`;
      }
      case 'bash': {
        const result = await execa('bash', ['-c', str(args, 'command')], {
          cwd,
          reject: false,
          stdin: 'ignore',
          all: true,
          timeout: typeof args.timeout === 'number' ? args.timeout * 1000 : 120_000,
        });
        return `${result.all ?? ''}\n[exit ${result.exitCode ?? result.signal}]`;
      }
      default:
        return `error: unknown tool ${name}`;
    }
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}
