import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runProviderCommand } from '../../src/scripted-provider/scripted-provider-main.js';
import { makeTempDir } from '../support/fake-server.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let stdout: string[];
let stderr: string[];

beforeEach(async () => {
  temp = await makeTempDir();
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await temp.remove();
});

async function waitForLine(): Promise<{ url: string; model: string }> {
  await vi.waitFor(() => expect(stdout.length).toBe(1));
  return JSON.parse(stdout[0] ?? '') as { url: string; model: string };
}

describe('runProviderCommand', () => {
  it('prints one JSON line with the URL, serves the script, and stops with 0 on SIGTERM', async () => {
    const scriptFile = join(temp.dir, 'demo.script.json');
    await writeFile(scriptFile, JSON.stringify({ roles: { closer: [{ content: 'closed' }] } }));
    const listenersBefore = process.listenerCount('SIGTERM');
    const exit = runProviderCommand({ model: 'qwen3.6-35b-a3b', scriptFile });
    const line = await waitForLine();
    expect(line.model).toBe('qwen3.6-35b-a3b');
    expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${line.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'qwen3.6-35b-a3b', messages: [{ role: 'system', content: '# Closer — x' }] }),
    });
    expect(JSON.stringify(await response.json())).toContain('"content":"closed"');

    process.emit('SIGTERM', 'SIGTERM');
    await expect(exit).resolves.toBe(0);
    await expect(fetch(`${line.url}/health`)).rejects.toThrow();
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
  });

  it('runs with an empty script when no file is given, and stops on SIGINT', async () => {
    const exit = runProviderCommand({ model: 'm' });
    const line = await waitForLine();
    const response = await fetch(`${line.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'system', content: '# Implementer' }] }),
    });
    expect(JSON.stringify(await response.json())).toContain('no scripted reply');
    process.emit('SIGINT', 'SIGINT');
    await expect(exit).resolves.toBe(0);
  });

  it('refuses an invalid script with 64, naming the file and the field, without a stack', async () => {
    const scriptFile = join(temp.dir, 'broken.script.json');
    await writeFile(scriptFile, JSON.stringify({ roles: { implementer: [{ content: 1 }] } }));
    await expect(runProviderCommand({ model: 'm', scriptFile })).resolves.toBe(64);
    const message = stderr.join('');
    expect(message).toContain('broken.script.json');
    expect(message).toContain('roles.implementer.0');
    expect(message).not.toContain(temp.dir);
    expect(message).not.toMatch(/\n\s+at /);
    expect(stdout).toEqual([]);
  });

  it('refuses a missing or non-JSON script file and a bad port with 64', async () => {
    await expect(runProviderCommand({ model: 'm', scriptFile: join(temp.dir, 'absent.json') })).resolves.toBe(64);
    expect(stderr.join('')).toContain('absent.json: cannot read it (ENOENT)');
    const notJson = join(temp.dir, 'notjson.json');
    await writeFile(notJson, '{');
    await expect(runProviderCommand({ model: 'm', scriptFile: notJson })).resolves.toBe(64);
    expect(stderr.join('')).toContain('notjson.json: not valid JSON');
    await expect(runProviderCommand({ model: 'm', port: 70000 })).resolves.toBe(64);
    expect(stdout).toEqual([]);
  });
});
