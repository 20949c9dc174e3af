import { createServer } from 'node:http';
import { z } from 'zod';
import type { GhCall } from '../evidence/gh-calls.js';
import { openJsonlAppender } from './jsonl-appender.js';
import { listenOnLoopback } from './loopback-server.js';
import { readRequestBody } from './request-body.js';

// The lane's `gh` is a stand-in that asks this recorder, which the harness runs and whose log the
// lane cannot reach: a Stage 2 run on an artificial fixture must never open a real pull request,
// and what it tried is evidence. `gh pr create` answers a local placeholder URL; anything else is
// refused. Only the subcommand is kept: titles and bodies are written by the model.

export const PLACEHOLDER_PR_URL = 'http://127.0.0.1/case-local-route/pull/1';

const RequestSchema = z.object({ args: z.array(z.string()).max(256) });

export interface GhRecorder {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startGhRecorder(opts: { logFile: string; socketPath?: string }): Promise<GhRecorder> {
  const log = await openJsonlAppender(opts.logFile);
  const server = createServer(async (req, res) => {
    const read = req.method === 'POST' && req.url === '/gh' ? await readRequestBody(req, 64 * 1024).catch(() => undefined) : undefined;
    let parsed: z.infer<typeof RequestSchema> | undefined;
    try {
      parsed = read?.ok ? RequestSchema.parse(JSON.parse(read.body.toString('utf8'))) : undefined;
    } catch {
      parsed = undefined;
    }
    const command = parsed ? parsed.args.filter((arg) => !arg.startsWith('-')).slice(0, 2).join(' ').slice(0, 64) : '(unreadable)';
    const allowed = command === 'pr create';
    log.append({ time: new Date().toISOString(), command, allowed } satisfies GhCall);
    const body = JSON.stringify(allowed ? { allowed, url: PLACEHOLDER_PR_URL } : { allowed });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  });
  const listener = await listenOnLoopback(server, 0, opts.socketPath).catch(async (error: unknown) => {
    await log.close().catch(() => undefined);
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${listener.port}/gh`,
    port: listener.port,
    close() {
      closing ??= listener.close().then(() => log.close());
      return closing;
    },
  };
}
