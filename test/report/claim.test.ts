import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimOf } from '../../src/report/claim.js';
import type { Report } from '../../src/report/report-schema.js';
import { sendJson, startFakeServer } from '../support/fake-server.js';
import { MODEL, ROOT, runCli, useProvider, withSandbox } from '../support/cli.js';
import { admissionWith, runInSandbox } from '../support/ux-runs.js';

// What a run says it proves, in report.json, on the first line of the CLI summary, in the HTML
// and from `verify`; and, for a run that failed, the lane's own first error right below it.

const provider = useProvider();

const STAYS = 'not Stage 2 evidence; CTO-WORK-020 stays blocked';
const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
const standIn = (script: string) => join(ROOT, 'test', 'case-standins', script);
const caseCommand = (script: string) => `${process.execPath} ${standIn(script)}`;

// The CLI's summary: every line after the progress lines.
function summary(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('case-route: ') && !line.startsWith('case-route: state '));
}

function reasons(report: Report): string[] {
  return report.claim.not_evidence_because.map((r) => r.reason);
}

async function html(runDir: string): Promise<string> {
  return readFile(join(runDir, 'report.html'), 'utf8');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

describe('the claim: what a run is evidence of', () => {
  it('a fake-lane pass validates the route and says so first, in the CLI, the HTML and verify', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox);
      expect(run.exitCode).toBe(0);
      const statement = `route validated on the fake lane — ${STAYS}`;
      expect(run.report.claim).toEqual({
        stage2_evidence: 'route_validation',
        work_item: { work_id: 'CTO-WORK-020', real_pass_evidence: false },
        not_evidence_because: expect.any(Array),
        case_command: null,
        statement,
      });
      expect(reasons(run.report)).toEqual(['fake_lane', 'replay']);
      expect(Object.keys(run.report).slice(0, 4)).toEqual(['schema_version', 'run_id', 'status', 'claim']);
      expect(summary(run.stderr)[0]).toBe(`case-route: pass: ${statement}`);
      expect(await html(run.runDir)).toContain(`<p id="claim" class="claim route_validation">${escapeHtml(statement)}</p>`);
      const verified = await runCli(['verify', run.runDir], {});
      expect(verified.stdout.split('\n')[1]).toBe(`claim: ${statement}`);
      const asJson = JSON.parse((await runCli(['verify', '--json', run.runDir], {})).stdout) as { claim: Report['claim'] };
      expect(asJson.claim).toEqual(run.report.claim);
    }));

  it('a real-lane pass against the scripted provider is a replay, not Stage 2 evidence', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('well-behaved-case.mjs') }, ['--lane', 'real']);
      expect(run.exitCode).toBe(0);
      expect(run.report.claim.statement).toBe(`route validated on the real lane against a scripted model — ${STAYS}`);
      expect(run.report.claim.stage2_evidence).toBe('route_validation');
      expect(reasons(run.report)).toEqual(['replay']);
      expect(summary(run.stderr)[0]).toBe(`case-route: pass: ${run.report.claim.statement}`);
    }));

  it('a real-lane pass against a model server is the real pass CTO-WORK-020 waits for, naming the Case command it ran; not without isolation', async () => {
    // A model server that is not the project's scripted provider: it forwards to it, and lists
    // the model as any OpenAI-compatible server would.
    const server = await startFakeServer({
      'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      'GET /v1/models': (_req, res) => sendJson(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model' }] }),
      'POST /v1/chat/completions': (_req, res, body) => {
        void fetch(`${provider.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        });
      },
    });
    const env = { CTO_HARNESS_CASE_COMMAND: caseCommand('well-behaved-case.mjs') };
    try {
      await withSandbox(server.url, async (sandbox) => {
        const run = await runInSandbox(sandbox, env, ['--lane', 'real']);
        expect(run.exitCode).toBe(0);
        const statement = 'real Stage 2 pass evidence for CTO-WORK-020: Case command node + well-behaved-case.mjs passed on the real lane, isolated, beside a passing fake baseline; this run admits nothing and changes no status';
        expect(run.report.claim).toEqual({
          stage2_evidence: 'real',
          work_item: { work_id: 'CTO-WORK-020', real_pass_evidence: true },
          not_evidence_because: [],
          case_command: [
            { name: 'node', sha256: await sha256(process.execPath) },
            { name: 'well-behaved-case.mjs', sha256: await sha256(standIn('well-behaved-case.mjs')) },
          ],
          statement,
        });
        expect(run.report.lanes.find((l) => l.lane === 'real')?.case_command).toEqual(run.report.claim.case_command);
        expect(summary(run.stderr)[0]).toBe(`case-route: pass: ${statement}`);
        expect(await html(run.runDir)).toContain('well-behaved-case.mjs</code> <code class="digest">sha256:');
        // The same evidence with the baseline failing is not that pass.
        const noBaseline = { ...run.report, baseline_comparison: { baseline_passed: false, differences: [] } };
        expect(claimOf(noBaseline).not_evidence_because.map((r) => r.reason)).toEqual(['no_baseline_pass']);
      });
      await withSandbox(server.url, async (sandbox) => {
        const run = await runInSandbox(sandbox, env, ['--lane', 'real', '--isolation', 'off']);
        expect(run.exitCode).toBe(0);
        expect(run.report.claim).toMatchObject({ stage2_evidence: 'route_validation', work_item: { work_id: 'CTO-WORK-020', real_pass_evidence: false } });
        expect(run.report.claim.not_evidence_because).toEqual([{ reason: 'no_isolation', detail: expect.stringMatching(/^real lane: /) }]);
        expect(run.report.claim.statement).toBe(`route validated on the real lane without isolation — ${STAYS}`);
      });
    } finally {
      await server.close();
    }
  });

  it('a blocked run: Case was not started, and the reason follows on the next line', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await admissionWith(sandbox, { admission_status: 'pending' }) });
      expect(run.exitCode).toBe(2);
      const statement = `Case was not started — ${STAYS}`;
      expect(run.report.claim).toMatchObject({ stage2_evidence: 'none', work_item: { work_id: 'CTO-WORK-020', real_pass_evidence: false }, statement });
      expect(run.report.claim.not_evidence_because).toEqual([
        { reason: 'blocked', detail: 'admission_not_admitted: admission_status is "pending"' },
        { reason: 'fake_lane', detail: expect.any(String) },
      ]);
      expect(summary(run.stderr).slice(0, 2)).toEqual([`case-route: blocked: ${statement}`, 'case-route: reason: admission_not_admitted: admission_status is "pending"']);
      expect(await html(run.runDir)).toContain(`<p id="claim" class="claim none">${escapeHtml(statement)}</p>`);
    }));

  it('a run blocked before a decision record was read speaks for no work item', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_DECISION_FILE: join(sandbox.dir, 'missing.json') });
      expect(run.exitCode).toBe(2);
      expect(run.report.claim.work_item).toEqual({ work_id: null, real_pass_evidence: false });
      expect(run.report.claim.statement).toBe('Case was not started — not Stage 2 evidence; no decision record was read, so it speaks for no work item');
    }));

  it('an edited claim does not verify, even with the attestation rewritten to match', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox);
      const reportFile = join(run.runDir, 'report.json');
      const attestationFile = join(run.runDir, 'report.intoto.json');
      const forged: Report['claim'] = {
        ...run.report.claim,
        stage2_evidence: 'real',
        work_item: { work_id: 'CTO-WORK-020', real_pass_evidence: true },
        not_evidence_because: [],
        statement: 'real Stage 2 pass evidence for CTO-WORK-020',
      };
      await writeFile(reportFile, `${JSON.stringify({ ...run.report, claim: forged }, null, 2)}\n`);
      const edited = await runCli(['verify', run.runDir], {});
      expect(edited.exitCode).toBe(1);
      expect(edited.stdout.split('\n').slice(0, 2)).toEqual([expect.stringMatching(/^not intact: /), 'claim: none, the evidence is not intact']);
      expect(edited.stdout).toContain("report.json's claim does not follow from its evidence");

      // Every digest recomputed and the predicate's claim rewritten: the claim still does not
      // follow from the evidence in the report.
      const statement = JSON.parse(await readFile(attestationFile, 'utf8')) as {
        subject: Array<{ name: string; digest: { sha256: string } }>;
        predicate: { claim: unknown; report: { sha256: string } };
      };
      const digest = await sha256(reportFile);
      for (const subject of statement.subject) if (subject.name === 'report.json') subject.digest.sha256 = digest;
      statement.predicate.report.sha256 = digest;
      statement.predicate.claim = forged;
      await writeFile(attestationFile, JSON.stringify(statement, null, 2));
      const rewritten = JSON.parse((await runCli(['verify', '--json', run.runDir], {})).stdout) as { intact: boolean; claim: unknown; problems: string[] };
      expect(rewritten).toMatchObject({ intact: false, claim: null });
      expect(rewritten.problems).toEqual(["report.json's claim does not follow from its evidence"]);
    }));
});

describe('a failed run says why in its first lines, in the lane’s own words', () => {
  it('a Case that crashes: its own error line, right under the claim', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('exit-nonzero-case.mjs') }, ['--lane', 'real']);
      expect(run.exitCode).toBe(1);
      const statement = `Case ran and the run did not pass — ${STAYS}`;
      expect(run.report.claim).toMatchObject({ stage2_evidence: 'none', statement });
      expect(run.report.claim.not_evidence_because[0]).toEqual({ reason: 'failed', detail: expect.stringContaining('case_exit_nonzero') });
      const firstError = 'Case exited with code 3: case: Repo "sum-bug" not found';
      expect(run.report.first_error).toEqual({ lane: 'real', source: 'process', message: firstError });
      expect(summary(run.stderr).slice(0, 3)).toEqual([
        `case-route: fail: ${statement}`,
        `case-route: real lane: ${firstError}`,
        'case-route: reason: case_exit_nonzero: real lane: exit 3',
      ]);
      expect(await html(run.runDir)).toContain(`<div id="first-error"><p><strong>First error (real lane):</strong> ${escapeHtml(firstError)}</p></div>`);
    }));

  it("a Case whose pipeline fails: the failed phase's own error from Case's events", () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('pipeline-failed-case.mjs') }, ['--lane', 'real']);
      expect(run.exitCode).toBe(1);
      expect(summary(run.stderr)[1]).toBe('case-route: real lane: Pipeline failed at implement phase: tests still fail after 3 attempts: expected 5, got -1');
      expect(run.report.first_error?.source).toBe('case');
    }));

  it('a Case that says it completed: what the failing acceptance check printed', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('claims-success-case.mjs') }, ['--lane', 'real']);
      expect(run.exitCode).toBe(1);
      const lines = summary(run.stderr);
      // What the pristine judge printed: the sum the lane left still subtracts.
      expect(lines[1]).toBe('case-route: real lane: the acceptance check exited with code 1; it printed:');
      expect(lines[2]).toMatch(/^case-route: {3}sum-bug: expected \[5,0,42,.*\], got \[-1,-2,38,/);
      expect(run.report.lanes.find((l) => l.lane === 'real')?.acceptance.output_tail).toContain('sum-bug: expected [5,0,42,');
      expect(run.report.first_error?.message).not.toContain(sandbox.dir);
      const page = await html(run.runDir);
      expect(page).toContain('<div id="first-error"><p><strong>First error (real lane):</strong> the acceptance check exited with code 1; it printed:</p><pre>sum-bug: expected [5,0,42,');
    }));

  it('a model server that answers with errors: the HTTP errors Case hid, then what Case said', async () => {
    const server = await startFakeServer({
      'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      'GET /v1/models': (_req, res) => sendJson(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model' }] }),
      'POST /v1/chat/completions': (_req, res) => sendJson(res, 400, { error: { message: 'request (7436 tokens) exceeds the available context size (4096 tokens)' } }),
    });
    try {
      await withSandbox(server.url, async (sandbox) => {
        const run = await runInSandbox(sandbox);
        expect(run.exitCode).toBe(1);
        expect(run.report.first_error).toMatchObject({ lane: 'fake', source: 'model_server' });
        expect(summary(run.stderr)[1]).toMatch(/^case-route: fake lane: (\d+) of \1 model request\(s\) failed at the model server \(HTTP 400 ×\1\); then Pipeline failed at implement phase\./);
      });
    } finally {
      await server.close();
    }
  });

  it('the report schema carries the claim and the first error (the committed copy is drift-tested in ux-schema)', async () => {
    const printed = JSON.parse((await runCli(['schema', 'report'], {})).stdout) as {
      required: string[];
      properties: { claim: { required: string[]; properties: { stage2_evidence: { enum: string[] } } }; first_error: unknown };
    };
    expect(printed.required).toEqual(expect.arrayContaining(['claim', 'first_error']));
    expect(printed.properties.claim.properties.stage2_evidence.enum).toEqual(['real', 'route_validation', 'none']);
    expect(printed.properties.claim.required.sort()).toEqual(['case_command', 'not_evidence_because', 'stage2_evidence', 'statement', 'work_item']);
  });
});
