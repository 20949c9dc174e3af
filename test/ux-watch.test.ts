import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report-schema.js';
import { CLI, ROOT, useProvider, withSandbox } from './support/cli.js';
import { admissionWith, EXIT_AFTER_REPORT_MS, exitAfterReport, startViewedRun } from './support/ux-runs.js';
import { openBrowser, screenshotPath, type Browser } from './support/ux-browser.js';

const provider = useProvider();

const startRun = (args: string[], env: Record<string, string>) => startViewedRun('watch', args, env);

// Opens the live view with every request the page makes recorded: it may talk to its own origin
// and nothing else.
async function openView(browser: Browser, url: string): Promise<{ page: Page; foreign: string[] }> {
  const page = await browser.context.newPage();
  const origin = new URL(url).origin;
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== origin) foreign.push(request.url());
  });
  const csp: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) csp.push(message.text());
  });
  const response = await page.goto(url, { waitUntil: 'domcontentloaded' });
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toMatch(/default-src 'none'/);
  expect(policy).toMatch(/script-src 'nonce-[\w-]+'/);
  expect(policy).not.toContain('unsafe-inline');
  expect(csp).toEqual([]);
  return { page, foreign };
}

async function reportOf(out: string): Promise<Report> {
  const [runId] = await readdir(out);
  return JSON.parse(await readFile(join(out, runId!, 'report.json'), 'utf8')) as Report;
}

describe('case-route run --watch: the offline live view', () => {
  it('lights the current state while Stage 2 runs, shows each event and request as it happens, then the verdict', () =>
    withSandbox(provider.url, async (sandbox) => {
      const browser = await openBrowser({ offline: true });
      try {
        // The real lane hangs until Stage 2's deadline; the fake baseline makes its requests beside it.
        const hanging = [process.execPath, join(ROOT, 'test', 'case-standins', 'hanging-case.mjs'), 'case-route-watched'].join(' ');
        const watched = startRun(['--lane', 'real', '--timeout', '10', '--watch', '--watch-delay', '2', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_COMMAND: hanging }));
        const { page, foreign } = await openView(browser, await watched.url);
        await page.locator('#route svg g.node.current[data-state="case_process_started"]').waitFor({ timeout: 20_000 });
        // Lit while the run is still in Stage 2, with the steps before it marked as passed.
        expect(watched.lines.map((l) => l.line)).not.toContain('case-route: state stage2_complete');
        expect(await page.locator('#route svg g.node.visited').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')))).toEqual([
          'loading_decision',
          'decision_loaded',
          'config_checked',
          'admission_matched',
          'provider_verified',
        ]);
        expect(await page.locator('#current').textContent()).toBe('now: running Case (Stage 2) (case_process_started)');
        // The baseline's requests arrive while the real lane still runs.
        await page.locator('#request-rows tr').first().waitFor({ timeout: 20_000 });
        expect(await page.locator('#lane-rows tr[data-lane="real"] td').nth(1).textContent()).toBe('live.running');
        expect(watched.lines.map((l) => l.line)).not.toContain('case-route: state stage2_complete');

        await page.locator('#verdict').waitFor({ state: 'visible', timeout: 30_000 });
        const { exitCode, afterReportMs } = await exitAfterReport(watched);
        expect(exitCode).toBe(1);
        expect(afterReportMs).toBeLessThan(EXIT_AFTER_REPORT_MS);
        const report = await reportOf(sandbox.out);
        expect(await page.locator('#verdict-status').textContent()).toBe('fail');
        expect(await page.locator('#verdict-statement').textContent()).toBe(report.claim.statement);
        expect(await page.locator('#verdict-reasons').textContent()).toContain('case_timeout');
        expect(await page.locator('#verdict-report').textContent()).toBe(`the report: <out>/${report.run_id}/report.html`);
        expect(await page.locator('#route svg g.node.current[data-state="report_emitted"]').count()).toBe(1);
        // Every request the proxy recorded, in both lanes, is on the page; every event of each lane too.
        const fake = report.lanes.find((l) => l.lane === 'fake')!;
        expect(await page.locator('#request-rows tr').count()).toBe(report.lanes.reduce((sum, l) => sum + l.requests_total, 0));
        expect(await page.locator('#lane-rows tr[data-lane="fake"] td').nth(2).textContent()).toBe(String(fake.requests_total));
        const log = (await page.locator('#events li').allTextContents()).join('\n');
        for (const lane of report.lanes) {
          for (const entry of lane.timeline) expect(log).toContain(`${entry.at.slice(11, 23)}  ${lane.lane} lane  ${entry.event}`);
        }
        expect(log).toContain('real lane  state timed_out');
        expect(log).not.toContain(sandbox.dir);
        expect(log).not.toContain(ROOT);
        expect(foreign).toEqual([]);
        await page.screenshot({ path: await screenshotPath('watch-real-lane-timed-out.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    }));

  it('refuses a port that is taken, before the run starts', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await execa(process.execPath, [CLI, 'run', '--watch', String(provider.port), '--out', sandbox.out], { env: sandbox.env(), extendEnv: false, reject: false, stdin: 'ignore' });
      expect(result.exitCode).toBe(64);
      expect(result.stderr).toContain(`--watch ${provider.port} is in use`);
      expect(result.stderr).not.toContain('state loading_decision');
    }));

  it('shows a blocked run: the step lit in red and the fix in words', () =>
    withSandbox(provider.url, async (sandbox) => {
      const browser = await openBrowser({ offline: true });
      try {
        const admission = await admissionWith(sandbox, { admission_status: 'pending' });
        const watched = startRun(['--watch', '0', '--watch-delay', '2', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: admission }));
        const { page, foreign } = await openView(browser, await watched.url);
        await page.locator('#verdict').waitFor({ state: 'visible', timeout: 20_000 });
        expect((await watched.child).exitCode).toBe(2);
        expect(await page.locator('#verdict-status').textContent()).toBe('blocked');
        const reasons = await page.locator('#verdict-reasons li').allTextContents();
        expect(reasons).toContain('blocked while checking the admission, by the gate admissionIsAdmitted');
        expect(reasons.some((r) => r.startsWith('fix: the admission file must say "admitted"'))).toBe(true);
        expect(await page.locator('#route svg g.node.stopped').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')))).toEqual(['config_checked', 'blocked']);
        expect(await page.locator('#route svg path.edge.taken.stopped[data-from="config_checked"][data-to="blocked"]').count()).toBe(1);
        expect(await page.locator('#request-rows tr').count()).toBe(0);
        expect(foreign).toEqual([]);
        await page.screenshot({ path: await screenshotPath('watch-blocked.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    }));
});
