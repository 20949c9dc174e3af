import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedProvider } from '../src/scripted-provider/scripted-provider.js';
import { ROOT, startProvider, withSandbox } from './support/cli.js';
import { openBrowser, openFilePage, screenshotPath, type Browser } from './support/ux-browser.js';
import { admissionWith, decisionWith, runInSandbox } from './support/ux-runs.js';

let provider: ScriptedProvider;
let browser: Browser;
beforeAll(async () => {
  [provider, browser] = await Promise.all([startProvider(), openBrowser()]);
});
afterAll(async () => {
  await Promise.all([provider?.close(), browser?.close()]);
});

function openReport(runDir: string): Promise<{ page: Page; requests: string[] }> {
  return openFilePage(browser, join(runDir, 'report.html'));
}

// Where a section starts on the page: what the run proves must come before the gates.
async function top(page: Page, selector: string): Promise<number> {
  const box = await page.locator(selector).boundingBox();
  expect(box, `${selector} is laid out`).not.toBeNull();
  return box!.y;
}

async function visibleText(page: Page, selector: string): Promise<string> {
  const locator = page.locator(selector);
  expect(await locator.isVisible(), `${selector} is visible`).toBe(true);
  return (await locator.textContent()) ?? '';
}

describe('report.html in a real browser', () => {
  it('shows a blocked run: the status, the reason and the gate where the route stopped', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await admissionWith(sandbox, { admission_status: 'pending' }) });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(`open: `);
      const { page, requests } = await openReport(run.runDir);
      try {
        expect(await page.title()).toContain('blocked');
        expect(await visibleText(page, '#status')).toBe('blocked');
        expect(await visibleText(page, '#claim')).toBe('Case was not started — not Stage 2 evidence; CTO-WORK-020 stays blocked');
        // In words: the step, the gate, what it expected, what it found, and the fix.
        expect(await visibleText(page, '#blocked-reason')).toContain('while checking the admission');
        expect(await visibleText(page, '#blocked-reason')).toContain('admission_not_admitted');
        expect(await visibleText(page, '#blocked-gate')).toContain('admissionIsAdmitted');
        expect(await visibleText(page, '#blocked-expected')).toBe('the admission file says "admission_status": "admitted"');
        expect(await visibleText(page, '#blocked-detail')).toBe('admission_status is "pending"');
        expect(await visibleText(page, '#blocked-fix')).toContain('the admission file must say "admitted"');
        // The route is drawn, and the step it stopped in reads as the check being made.
        const stopped = page.locator('#route svg g.node.stopped[data-state="config_checked"]');
        expect(await stopped.isVisible()).toBe(true);
        expect(await stopped.locator('text.label').textContent()).toBe('✗ checking the admission');
        expect(await page.locator('#route svg g.node.visited').count()).toBe(2);
        expect(await page.locator('#route svg g.node.unreached[data-state="case_process_started"]').count()).toBe(1);
        expect(await visibleText(page, '#route svg g.node.stopped[data-state="blocked"] text.note')).toBe('by admissionIsAdmitted (admission_not_admitted)');
        expect(await visibleText(page, 'li.gate.blocked')).toContain('admissionIsAdmitted');
        expect(await visibleText(page, '#gates tr[data-state="config_checked"] th')).toContain('checking the admission');
        expect(await visibleText(page, '#timeline g.row[data-row="route"] g.step.stopped[data-state="blocked"]')).toContain('blocked before Case started');
        expect(await page.locator('#timeline g.step[data-state="config_checked"] title').textContent()).toContain('admissionMatchesDecision ✓, admissionIsAdmitted ✗, noExternalFallbackConfigured ·');
        expect(await visibleText(page, '#lanes')).toContain('Case was not started');
        expect(requests).toEqual([]);
        await page.screenshot({ path: await screenshotPath('report-blocked.png'), fullPage: true });
      } finally {
        await page.close();
      }
    }));

  it('shows a real-lane pass: both lanes side by side and the no-fallback evidence', () =>
    withSandbox(provider.url, async (sandbox) => {
      const caseCommand = `${process.execPath} ${join(ROOT, 'test', 'case-standins', 'well-behaved-case.mjs')}`;
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand }, ['--lane', 'real']);
      expect(run.exitCode).toBe(0);
      const { page, requests } = await openReport(run.runDir);
      try {
        expect(await visibleText(page, '#status')).toBe('pass');
        expect(await visibleText(page, '#claim')).toBe(run.report.claim.statement);
        const lanes = page.locator('table.lanes thead th');
        expect(await lanes.allTextContents()).toEqual(['', 'real (primary)', 'fake (baseline)']);
        const requestsRow = page.locator('table.lanes tr', { hasText: 'requests by model' });
        expect(await requestsRow.locator('td').count()).toBe(2);
        for (const cell of await requestsRow.locator('td').allTextContents()) expect(cell).toMatch(/^qwen3\.6-35b-a3b: \d+$/);
        expect(await visibleText(page, '#no-fallback-verdict')).toContain('proven');
        expect(await visibleText(page, '#no-fallback')).toContain('real lane:');
        // What the run proves comes first: the verdict and the lanes side by side, above the gates.
        expect(await top(page, '#no-fallback')).toBeLessThan(await top(page, '#gates'));
        const cards = page.locator('#no-fallback .lane-card');
        expect(await cards.count()).toBe(2);
        expect(await cards.locator('h3').allTextContents()).toEqual(['real lane (primary)', 'fake lane (baseline)']);
        for (const card of await cards.all()) {
          expect(await card.textContent()).toContain('✓ no fallback proven');
          expect(await card.textContent()).toContain('no error');
        }
        // Each card links to the lane's logs and generated config, and every link resolves.
        const links = await page.locator('#no-fallback .lane-card a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')!));
        expect(links).toEqual(expect.arrayContaining(['lanes/real/stdout.log', 'lanes/real/proxy-audit.jsonl', 'lanes/real/adapter/config.json', 'lanes/fake/adapter/models.json']));
        for (const href of links) await expect(stat(join(run.runDir, href)), href).resolves.toBeTruthy();
        // The timeline: Case's phases per lane from its events, and one mark per model request.
        for (const lane of run.report.lanes) {
          const phases = page.locator(`#timeline g.row[data-row="phases-${lane.lane}"] g.phase`);
          expect(await phases.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-phase')))).toEqual(['implement', 'review', 'close', 'retrospective']);
          const requests = lane.timeline.filter((e) => e.event === 'proxy.model_request').length;
          expect(requests).toBeGreaterThan(0);
          expect(await page.locator(`#timeline g.row[data-row="requests-${lane.lane}"] line.request`).count()).toBe(requests);
        }
        expect(await page.locator('#timeline').isVisible()).toBe(true);
        expect(await page.locator('#route svg g.node.visited').count()).toBe(8);
        expect(await page.locator('#route svg path.edge.taken').count()).toBe(8);
        expect(requests).toEqual([]);
        await page.screenshot({ path: await screenshotPath('report-pass-real-lane.png'), fullPage: true });
      } finally {
        await page.close();
      }
    }));

  it("shows a failed lane: its card first with the lane's first error, and the failed phase on the timeline", () =>
    withSandbox(provider.url, async (sandbox) => {
      const caseCommand = `${process.execPath} ${join(ROOT, 'test', 'case-standins', 'pipeline-failed-case.mjs')}`;
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand }, ['--lane', 'real']);
      expect(run.exitCode).toBe(1);
      const { page, requests } = await openReport(run.runDir);
      try {
        expect(await visibleText(page, '#status')).toBe('fail');
        const real = page.locator('#no-fallback .lane-card.bad[data-lane="real"]');
        expect(await real.isVisible()).toBe(true);
        expect(await real.locator('.first-error').textContent()).toBe('first error: Pipeline failed at implement phase: tests still fail after 3 attempts: expected 5, got -1');
        expect(await real.textContent()).toContain('✗ Stage 2 failed');
        expect(await page.locator('#no-fallback .lane-card.ok[data-lane="fake"]').count()).toBe(1);
        expect(await page.locator('#timeline g.row[data-row="phases-real"] g.phase').evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-phase')} ${g.getAttribute('class')}`))).toEqual([
          'implement phase bad',
        ]);
        expect(requests).toEqual([]);
        await page.screenshot({ path: await screenshotPath('report-fail-real-lane.png'), fullPage: true });
      } finally {
        await page.close();
      }
    }));

  it('shows text from a user file as text, never as markup', () =>
    withSandbox(provider.url, async (sandbox) => {
      const hostile = `<img src=x onerror="document.title='owned'"><script>document.title='owned'</script>`;
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_DECISION_FILE: await decisionWith(sandbox, { decision_status: hostile }) });
      expect(run.report.blocked_reason).toBe('decision_status_not_local_provider_required');
      const html = await readFile(join(run.runDir, 'report.html'), 'utf8');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<script');
      const { page, requests } = await openReport(run.runDir);
      try {
        expect(await visibleText(page, '#blocked-detail')).toContain(hostile);
        expect(await page.locator('img, script').count()).toBe(0);
        expect(await page.title()).not.toBe('owned');
        expect(requests).toEqual([]);
      } finally {
        await page.close();
      }
    }));
});
