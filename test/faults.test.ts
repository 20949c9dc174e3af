import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report-schema.js';
import { EXAMPLES, listTree, makeSandbox, parseReport, ROOT, runCli, useProvider, withSandbox } from './support/cli.js';

const provider = useProvider();

const caseCommand = (script: string) => `${process.execPath} ${join(ROOT, 'test', 'case-standins', script)}`;

// A loopback upstream in front of the scripted provider whose behaviour a test decides.
async function withUpstream<T>(
  handle: (req: IncomingMessage, res: ServerResponse, forward: () => Promise<Response>) => Promise<void>,
  body: (url: string) => Promise<T>,
): Promise<T> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const forward = () =>
      fetch(`${provider.url}${req.url}`, {
        method: req.method,
        headers: { 'content-type': 'application/json' },
        ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
      });
    await handle(req, res, forward).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function pipeAnswer(res: ServerResponse, answer: Response, beforeChunk?: () => Promise<void>) {
  res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
  for await (const chunk of answer.body!) {
    await beforeChunk?.();
    res.write(chunk);
  }
  res.end();
}

const reasons = (report: Report) => report.fail_reasons.map((f) => f.reason);

describe('faults after Case starts end in fail, never pass', () => {
  it('Case exits non-zero', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_COMMAND: caseCommand('exit-nonzero-case.mjs') }));
      expect(result.exitCode).toBe(1);
      const report = parseReport(result.stdout);
      expect(reasons(report)).toContain('case_exit_nonzero');
      expect(report.lanes.find((l) => l.lane === 'real')?.exit_code).toBe(3);
    }));

  it('Case dies by a signal', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_COMMAND: caseCommand('killed-case.mjs') }));
      const report = parseReport(result.stdout);
      expect(report.status).toBe('fail');
      expect(reasons(report)).toContain('case_exit_nonzero');
      expect(report.lanes.find((l) => l.lane === 'real')?.signal).toBe('SIGKILL');
    }));

  it('the upstream dies mid-stream', () =>
    withUpstream(
      async (req, res, forward) => {
        if (req.method !== 'POST') return pipeAnswer(res, await forward());
        const answer = await forward();
        const text = await answer.text();
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/event-stream' });
        res.write(text.slice(0, Math.floor(text.length / 2)));
        await new Promise((r) => setTimeout(r, 20));
        res.destroy();
      },
      (url) =>
        withSandbox(url, async (sandbox) => {
          const result = await runCli(['run', '--json', '--out', sandbox.out], sandbox.env());
          const report = parseReport(result.stdout);
          expect(report.status).toBe('fail');
          // The server's failure is named first, and it is not a fallback.
          expect(reasons(report)[0]).toBe('provider_error');
          expect(reasons(report)).toContain('pipeline_not_completed');
          expect(reasons(report)).not.toContain('fallback_detected');
          expect(report.no_fallback.verdict).toBe(true);
          expect(report.lanes[0]?.rejected_requests).toEqual([]);
          expect(report.lanes[0]?.provider_errors).toEqual([expect.objectContaining({ kind: 'cut', status: 200 })]);
        }),
    ));

  it('a slow upstream is waited for, not failed', () =>
    withUpstream(
      async (req, res, forward) => {
        await new Promise((r) => setTimeout(r, 150));
        return pipeAnswer(res, await forward(), () => new Promise((r) => setTimeout(r, 10)));
      },
      (url) =>
        withSandbox(url, async (sandbox) => {
          const result = await runCli(['run', '--json', '--out', sandbox.out], sandbox.env());
          expect(parseReport(result.stdout).status).toBe('pass');
        }),
    ));
});

describe('the run directory and its neighbours', () => {
  it('an output directory that cannot be created is a clear error, exit 1, and no report', () =>
    withSandbox(provider.url, async (sandbox) => {
      const notADir = join(sandbox.dir, 'a-file');
      await writeFile(notADir, 'x');
      const result = await runCli(['run', '--out', join(notADir, 'runs')], sandbox.env());
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/cannot create the run directory under --out \(ENOTDIR\)/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect((await listTree(sandbox.dir)).filter((f) => f.includes('report'))).toEqual([]);
      expect(await listTree(sandbox.tmp)).toEqual([]);
    }));

  it('two runs at once into the same output directory do not collide', () =>
    withSandbox(provider.url, async (sandbox) => {
      const [a, b] = await Promise.all([
        runCli(['run', '--json', '--out', sandbox.out], sandbox.env()),
        runCli(['run', '--json', '--out', sandbox.out], sandbox.env()),
      ]);
      const [first, second] = [parseReport(a.stdout), parseReport(b.stdout)];
      expect([first.status, second.status]).toEqual(['pass', 'pass']);
      expect(first.run_id).not.toBe(second.run_id);
      const reports = (await listTree(sandbox.out)).filter((f) => f.endsWith('report.json'));
      expect(reports.sort()).toEqual([`${first.run_id}/report.json`, `${second.run_id}/report.json`].sort());
    }));

  it('an admission file changed after its check and before Case starts blocks with admission_changed', async () => {
    const sandbox = await makeSandbox('');
    const admissionFile = join(sandbox.dir, 'admission.json');
    await writeFile(admissionFile, await readFile(join(EXAMPLES, 'admission.json')));
    try {
      // The provider preflight runs between the admission check and lane preparation: the
      // upstream rewrites the admission file (same meaning, other bytes) as it is asked.
      await withUpstream(
        async (req, res, forward) => {
          if (req.url === '/v1/models') await writeFile(admissionFile, `${(await readFile(admissionFile, 'utf8')).trim()}\n\n`);
          return pipeAnswer(res, await forward());
        },
        async (url) => {
          const result = await runCli(['run', '--json', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_LOCAL_BASE_URL: url, CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: admissionFile }));
          expect(result.exitCode, result.stderr).toBe(2);
          const report = parseReport(result.stdout);
          expect(report.blocked_reason).toBe('admission_changed');
          expect(report.case_process_started).toBe(false);
        },
      );
    } finally {
      await sandbox.cleanup();
    }
  });
});
