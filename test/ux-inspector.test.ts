import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report-schema.js';
import { CLI, listTree, ROOT, useProvider, withSandbox } from './support/cli.js';
import { openBrowser } from './support/ux-browser.js';
import { EXIT_AFTER_REPORT_MS, exitAfterReport, startViewedRun } from './support/ux-runs.js';

const provider = useProvider();

const startRun = (args: string[], env: Record<string, string>) => startViewedRun('inspector', ['--inspect', ...args], env);

describe('case-route run --inspect', () => {
  it('prints the URL to open and exits by itself right after the report when no browser came', () =>
    withSandbox(provider.url, async (sandbox) => {
      const watched = startRun(['--out', sandbox.out], sandbox.env());
      expect(await watched.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { exitCode, afterReportMs } = await exitAfterReport(watched);
      expect(exitCode).toBe(0);
      expect(afterReportMs).toBeLessThan(EXIT_AFTER_REPORT_MS);
    }));

  it('refuses a port that is taken, before the run starts', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await execa(process.execPath, [CLI, 'run', '--inspect-port', String(provider.port), '--out', sandbox.out], { env: sandbox.env(), extendEnv: false, reject: false, stdin: 'ignore' });
      expect(result.exitCode).toBe(64);
      expect(result.stderr).toContain(`--inspect-port ${provider.port} is in use`);
      expect(result.stderr).not.toContain('state loading_decision');
    }));

  it('streams the run live to a connected browser, then exits by itself with the browser still there', () =>
    withSandbox(provider.url, async (sandbox) => {
      const browser = await openBrowser();
      try {
        // The delay is the viewer's time to open the page before the (sub-second) fake run starts.
        const watched = startRun(['--inspect-delay', '2', '--out', sandbox.out], sandbox.env());
        const page = await browser.context.newPage();
        await page.goto(await watched.url, { waitUntil: 'domcontentloaded' });
        // The bridge page queues what the WebSocket brings until the embedded Stately UI (not
        // reachable offline) says it is ready: that queue is what a viewer is shown. `buffer` is a
        // top-level const of the page's script, reachable only by name.
        await page.waitForFunction("buffer.some((e) => e.type === '@xstate.snapshot' && e.snapshot && e.snapshot.value === 'report_emitted')", undefined, {
          timeout: 15_000,
        });
        const firstState = watched.lines.find((l) => l.line === 'case-route: state loading_decision');
        const urlLine = watched.lines.find((l) => l.line.includes('inspector: open'));
        expect(firstState!.at - urlLine!.at).toBeGreaterThanOrEqual(1900);
        const { exitCode, afterReportMs } = await exitAfterReport(watched);
        expect(exitCode).toBe(0);
        expect(afterReportMs).toBeLessThan(EXIT_AFTER_REPORT_MS);
        const received = (await page.evaluate('JSON.stringify(buffer)')) as string;
        expect(received).toContain('"@xstate.actor"');
        for (const state of ['loading_decision', 'provider_verified', 'case_process_started', 'stage2_complete']) expect(received).toContain(`"value":"${state}"`);
        // What leaves the process is redacted like an artifact: no path of this machine.
        expect(received).not.toContain(sandbox.dir);
        expect(received).not.toContain(ROOT);
      } finally {
        await browser.close();
      }
    }));

  it('shows the supervisor and both lanes live, and the report keeps the timeline the browser was shown', () =>
    withSandbox(provider.url, async (sandbox) => {
      const browser = await openBrowser();
      try {
        // The real lane hangs until Stage 2's deadline; the fake baseline runs beside it.
        const hanging = [process.execPath, join(ROOT, 'test', 'case-standins', 'hanging-case.mjs'), 'case-route-inspected'].join(' ');
        const watched = startRun(['--lane', 'real', '--timeout', '10', '--inspect-delay', '2', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_COMMAND: hanging }));
        const page = await browser.context.newPage();
        await page.goto(await watched.url, { waitUntil: 'domcontentloaded' });
        const actor = (name: string) => `buffer.some((a) => a.type === '@xstate.actor' && a.name === '${name}' && a.sessionId === e.sessionId)`;
        await page.waitForFunction(`buffer.some((e) => e.type === '@xstate.snapshot' && e.snapshot && e.snapshot.value && e.snapshot.value.live === 'running' && ${actor('lane-real')})`, undefined, { timeout: 20_000 });
        // The browser sees the real lane running while the run is still in Stage 2.
        expect(watched.lines.map((l) => l.line)).toContain('case-route: state case_process_started');
        expect(watched.lines.map((l) => l.line)).not.toContain('case-route: state stage2_complete');
        await page.waitForFunction("buffer.some((e) => e.type === '@xstate.snapshot' && e.snapshot && e.snapshot.value === 'report_emitted')", undefined, { timeout: 30_000 });
        expect((await watched.child).exitCode).toBe(1);

        type Sent = { type: string; name?: string; sessionId: string; parentId?: string; event?: { type: string; at?: string }; snapshot?: { value: unknown } };
        const received = JSON.parse((await page.evaluate('JSON.stringify(buffer)')) as string) as Sent[];
        const actors = new Map(received.filter((e) => e.type === '@xstate.actor').map((e) => [e.name!, e]));
        expect(actors.get('lane-real')?.parentId).toBe(actors.get('superviseLanes')?.sessionId);
        expect(actors.get('lane-fake')?.parentId).toBe(actors.get('superviseLanes')?.sessionId);
        const states = (name: string) => received.filter((e) => e.type === '@xstate.snapshot' && e.sessionId === actors.get(name)?.sessionId).map((e) => JSON.stringify(e.snapshot!.value));
        expect(states('superviseLanes')).toContain('"stopping"');
        expect(states('superviseLanes').at(-1)).toBe('"complete"');
        expect(states('lane-real')).toEqual(expect.arrayContaining(['{"live":"running"}', '"timed_out"', '"checked"']));
        expect(states('lane-fake')).toEqual(expect.arrayContaining(['{"live":"running"}', '"exited"', '"checked"']));

        // The report's timeline of each lane is the list of observed events its actor received.
        const [runId] = await readdir(sandbox.out);
        const report = JSON.parse(await readFile(join(sandbox.out, runId!, 'report.json'), 'utf8')) as Report;
        for (const lane of ['real', 'fake'] as const) {
          const shown = received
            .filter((e) => e.type === '@xstate.event' && e.sessionId === actors.get(`lane-${lane}`)?.sessionId && e.event?.at !== undefined)
            .map((e) => ({ at: e.event!.at, event: e.event!.type }));
          expect(report.lanes.find((l) => l.lane === lane)?.timeline).toEqual(shown);
        }
        const fakeEvents = report.lanes.find((l) => l.lane === 'fake')!.timeline.map((t) => t.event);
        expect(fakeEvents).toEqual(expect.arrayContaining(['case.started', 'case.spawn_line', 'proxy.model_request', 'case.exited', 'checks.pipeline_end', 'checks.done']));
        expect(report.lanes.find((l) => l.lane === 'real')!.timeline.map((t) => t.event)).toEqual(['case.started', 'case.timed_out', 'checks.done']);
      } finally {
        await browser.close();
      }
    }));

  it('stops waiting on SIGINT: exit 130, nothing started, no report', () =>
    withSandbox(provider.url, async (sandbox) => {
      const watched = startRun(['--inspect-delay', '30', '--out', sandbox.out], sandbox.env());
      await watched.url;
      watched.child.kill('SIGINT');
      const result = await watched.child;
      expect(result.exitCode).toBe(130);
      expect(watched.lines.map((l) => l.line)).toContain('case-route: aborted before the run started');
      expect(await listTree(sandbox.out)).toEqual([]);
    }));
});
