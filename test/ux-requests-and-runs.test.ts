import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEntry } from '../src/report/run-list.js';
import type { ScriptedProvider } from '../src/scripted-provider/scripted-provider.js';
import { parseReport, runCli, startProvider, SUM_BUG_SCRIPT, withSandbox } from './support/cli.js';
import { openBrowser, openFilePage, screenshotPath, type Browser } from './support/ux-browser.js';
import { admissionWith } from './support/ux-runs.js';

let provider: ScriptedProvider;
let browser: Browser;
beforeAll(async () => {
  [provider, browser] = await Promise.all([startProvider(), openBrowser()]);
});
afterAll(async () => {
  await Promise.all([provider?.close(), browser?.close()]);
});

async function visibleText(page: Page, selector: string): Promise<string> {
  const locator = page.locator(selector).first();
  expect(await locator.isVisible(), `${selector} is visible`).toBe(true);
  return (await locator.textContent()) ?? '';
}

describe('every request of a run, per Case agent', () => {
  it('a fake-lane run records each request with its agent and tokens; the report shows the table, totals, agents and throughput', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await runCli(['run', '--json', '--out', sandbox.out], sandbox.env());
      expect(result.exitCode).toBe(0);
      const report = parseReport(result.stdout) as ReturnType<typeof parseReport> & { report_file: string };
      const lane = report.lanes[0]!;
      const { metrics } = lane;
      expect(metrics.requests).toHaveLength(lane.requests_total);
      // The fake Case makes one request per scripted turn of each agent it spawns.
      const agents = lane.spawn_lines.map((s) => s.agent!);
      expect(metrics.by_agent.map((a) => [a.agent, a.requests])).toEqual(agents.map((agent) => [agent, SUM_BUG_SCRIPT.roles[agent]!.length]));
      expect(metrics.requests.every((r) => r.agent_basis === 'case_events')).toBe(true);
      // The scripted provider answers with usage, as Case asks for it.
      expect(metrics.totals.requests_with_usage).toBe(lane.requests_total);
      expect(metrics.totals.prompt_tokens).toBe(metrics.requests.reduce((sum, r) => sum + r.prompt_tokens!, 0));
      expect(metrics.totals.completion_tokens).toBeGreaterThan(0);
      expect(metrics.throughput.median_ttft_ms).not.toBeNull();
      expect(metrics.throughput.requests_measured).toBeGreaterThan(0);
      expect(metrics.throughput.tokens_per_second).toBeGreaterThan(0);

      const runDir = join(sandbox.out, report.run_id);
      const { page, requests } = await openFilePage(browser, join(runDir, 'report.html'));
      try {
        const section = await visibleText(page, '#requests');
        expect(section).toContain('tokens/s');
        for (const agent of agents) expect(section).toContain(agent);
        expect(await page.locator('#requests .req-table tbody tr').count()).toBe(lane.requests_total);
        expect(await page.locator('#requests .req-agents tbody tr').count()).toBe(agents.length);
        expect(await visibleText(page, '#requests .req-totals')).toContain(String(metrics.totals.prompt_tokens));
        expect(requests).toEqual([]);
        await page.locator('#requests').screenshot({ path: await screenshotPath('report-requests.png') });
      } finally {
        await page.close();
      }
    }));
});

describe('case-route runs', () => {
  it('lists the runs of an out directory, the broken and foreign ones as unreadable, and writes an index.html that links each report', () =>
    withSandbox(provider.url, async (sandbox) => {
      const passed = await runCli(['run', '--out', sandbox.out], sandbox.env());
      const blocked = await runCli(['run', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await admissionWith(sandbox, { admission_status: 'pending' }) }));
      expect([passed.exitCode, blocked.exitCode]).toEqual([0, 2]);
      await mkdir(join(sandbox.out, 'not-a-run'));
      await mkdir(join(sandbox.out, 'broken'));
      await writeFile(join(sandbox.out, 'broken', 'report.json'), '{"status": "pass"');

      const listed = await runCli(['runs', '--json', sandbox.out], sandbox.env());
      expect(listed.exitCode).toBe(0);
      const runs = JSON.parse(listed.stdout) as RunEntry[];
      expect(runs.map((run) => (run.readable ? run.status : `unreadable ${run.dir}`))).toEqual(['blocked', 'pass', 'unreadable broken', 'unreadable not-a-run']);
      const [blockedRun, passedRun] = runs as Array<Extract<RunEntry, { readable: true }>>;
      expect(blockedRun).toMatchObject({ lane: 'fake', requests: 0, tokens_per_second: null, reason: 'admission_not_admitted: admission_status is "pending"' });
      expect(passedRun).toMatchObject({ lane: 'fake', model: 'qwen3.6-35b-a3b', stage2_evidence: 'route_validation' });
      expect(passedRun!.requests).toBeGreaterThan(0);
      expect(passedRun!.tokens_per_second).toBeGreaterThan(0);
      expect(runs.slice(2).map((run) => (run.readable ? '' : run.problem))).toEqual(['report.json is not JSON', 'no report.json']);

      // Without --json: a table for people, the unreadable with why.
      const text = await runCli(['runs', sandbox.out], sandbox.env({ NO_COLOR: '1' }));
      expect(text.stdout).toMatch(new RegExp(`${passedRun!.run_id}\\s+pass\\s+fake\\s+qwen3\\.6-35b-a3b\\s+${passedRun!.requests}\\s`));
      expect(text.stdout).toContain('broken: report.json is not JSON');
      expect(text.stderr).toContain('open: ');

      const index = join(sandbox.out, 'index.html');
      const html = await readFile(index, 'utf8');
      expect(html).not.toContain(sandbox.dir);
      const { page, requests } = await openFilePage(browser, index);
      try {
        expect(await page.title()).toContain('case-route runs');
        expect(await page.locator('#runs tbody tr').count()).toBe(2);
        const row = await visibleText(page, `tr[data-run="${passedRun!.run_id}"]`);
        expect(row).toContain('pass');
        expect(row).toContain('qwen3.6-35b-a3b');
        expect(await visibleText(page, `tr[data-run="${blockedRun!.run_id}"]`)).toContain('admission_not_admitted');
        expect(await visibleText(page, '#unreadable')).toContain('not-a-run: no report.json');
        // Each run id links its own report, next to the index.
        for (const run of [passedRun!, blockedRun!]) {
          const href = await page.locator(`tr[data-run="${run.run_id}"] a`).getAttribute('href');
          expect(href).toBe(`${run.run_id}/report.html`);
          expect((await stat(join(sandbox.out, href!))).isFile()).toBe(true);
        }
        await page.locator(`tr[data-run="${passedRun!.run_id}"] a`).click();
        await page.waitForURL(/report\.html$/);
        expect(await visibleText(page, '#status')).toBe('pass');
        expect(requests.filter((url) => !url.endsWith('/report.html'))).toEqual([]);
        await page.goBack();
        await page.screenshot({ path: await screenshotPath('runs-index.png'), fullPage: true });
      } finally {
        await page.close();
      }
    }));

  it('reads the default out directory when given none, and says so when there is none', () =>
    withSandbox(provider.url, async (sandbox) => {
      const none = await runCli(['runs'], sandbox.env(), sandbox.dir);
      expect(none.exitCode).toBe(1);
      expect(none.stderr).toContain('case-route-runs: no such directory');
      const blocked = await runCli(['run'], sandbox.env({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await admissionWith(sandbox, { admission_status: 'pending' }) }), sandbox.dir);
      expect(blocked.exitCode).toBe(2);
      const listed = await runCli(['runs', '--json'], sandbox.env(), sandbox.dir);
      expect(listed.exitCode).toBe(0);
      expect((JSON.parse(listed.stdout) as RunEntry[]).map((run) => run.readable && run.status)).toEqual(['blocked']);
      expect((await stat(join(sandbox.dir, 'case-route-runs', 'index.html'))).isFile()).toBe(true);
      const usage = await runCli(['runs', 'a', 'b'], sandbox.env(), sandbox.dir);
      expect(usage.exitCode).toBe(64);
    }));
});
