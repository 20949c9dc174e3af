import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeMachine } from '../machines/route.machine.js';
import { GATE_NAMES } from '../src/gates/route-steps.js';
import { EXAMPLES, runCli, useProvider, withSandbox } from './support/cli.js';
import { admissionWith, runInSandbox } from './support/ux-runs.js';

interface GraphJson {
  initial: string;
  states: Array<{ id: string; final: boolean; visited?: boolean; blocked_here?: boolean }>;
  transitions: Array<{ from: string; to: string; event: string; guard: string | null; taken?: boolean }>;
  run?: { status: string; blocked: { state: string; gate: string | null; reason: string } | null };
}

const MACHINE_STATES = Object.keys(routeMachine.root.states);

const provider = useProvider();

describe('case-route graph', () => {
  it('draws every state and names every gate of the machine, in Mermaid', async () => {
    const { exitCode, stdout } = await runCli(['graph'], {});
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^stateDiagram-v2\n/);
    for (const state of MACHINE_STATES) expect(stdout).toMatch(new RegExp(`^  ${state} --> `, 'm'));
    for (const gate of GATE_NAMES) expect(stdout).toContain(`[!${gate}]`);
    expect(stdout).toContain('provider_verified --> validated : done(prepareLanes) [onlyValidating]');
  });

  it('gives the same graph as JSON, read from the machine definition', async () => {
    const graph = JSON.parse((await runCli(['graph', '--format', 'json'], {})).stdout) as GraphJson;
    expect(graph.initial).toBe('loading_decision');
    expect(graph.states.map((s) => s.id)).toEqual(MACHINE_STATES);
    expect(graph.states.filter((s) => s.final).map((s) => s.id).sort()).toEqual(['aborted', 'blocked', 'report_emitted', 'report_failed', 'validated']);
    const guards = new Set(graph.transitions.flatMap((t) => (t.guard ? [t.guard] : [])));
    expect([...guards].sort()).toEqual([...GATE_NAMES.map((g) => `!${g}`), 'abortWasRequested', 'onlyValidating'].sort());
    // No step can reach case_process_started except through provider_verified's last transition.
    expect(graph.transitions.filter((t) => t.to === 'case_process_started')).toEqual([
      { from: 'provider_verified', to: 'case_process_started', event: 'done(prepareLanes)', guard: null },
    ]);
  });

  it('marks a blocked run: the states it visited, the transition it took and the gate that blocked it', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox, { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await admissionWith(sandbox, { admission_status: 'revoked' }) });
      expect(run.exitCode).toBe(2);
      const graph = JSON.parse((await runCli(['graph', '--format', 'json', '--report', join(run.runDir, 'report.json')], {})).stdout) as GraphJson;
      expect(graph.states.filter((s) => s.visited).map((s) => s.id)).toEqual(['loading_decision', 'decision_loaded', 'config_checked', 'blocked']);
      expect(graph.states.find((s) => s.blocked_here)?.id).toBe('config_checked');
      expect(graph.run?.blocked).toEqual({ state: 'config_checked', gate: 'admissionIsAdmitted', reason: 'admission_not_admitted' });
      expect(graph.transitions.filter((t) => t.taken).map((t) => `${t.from}->${t.to} ${t.guard ?? ''}`.trim())).toEqual([
        'loading_decision->decision_loaded',
        'decision_loaded->config_checked',
        'config_checked->blocked !admissionIsAdmitted',
      ]);

      const mermaid = await runCli(['graph', '--report', run.runDir], {});
      expect(mermaid.stdout).toContain('class config_checked,blocked stopped');
      expect(mermaid.stdout).toContain('note right of config_checked : blocked by admissionIsAdmitted (admission_not_admitted)');
      // The run wrote the same diagram beside its report.
      expect(await readFile(join(run.runDir, 'route.mmd'), 'utf8')).toBe(`${mermaid.stdout}\n`);
    }));

  it('marks a passing run all the way to report_emitted', () =>
    withSandbox(provider.url, async (sandbox) => {
      const run = await runInSandbox(sandbox);
      expect(run.exitCode).toBe(0);
      const graph = JSON.parse((await runCli(['graph', '--format', 'json', '--report', run.runDir], {})).stdout) as GraphJson;
      expect(graph.run).toMatchObject({ status: 'pass', blocked: null });
      expect(graph.transitions.filter((t) => t.taken).map((t) => t.to)).toEqual([
        'decision_loaded', 'config_checked', 'admission_matched', 'provider_verified', 'case_process_started', 'stage2_complete', 'report_emitted',
      ]);
      expect(graph.transitions.filter((t) => t.taken).every((t) => t.guard === null)).toBe(true);
    }));

  it('refuses a file that is not a report, naming it by its base name only', async () => {
    const result = await runCli(['graph', '--report', join(EXAMPLES, 'decision.json')], {});
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('case-route: decision.json: not a case-route report (see case-route schema report)');
    const missing = await runCli(['graph', '--report', join(EXAMPLES, 'no-such-report.json')], {});
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('no-such-report.json: cannot read it (ENOENT)');
    expect(missing.stderr).not.toContain(EXAMPLES);
  });
});
