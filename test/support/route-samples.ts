import type { LaneSetupFacts } from '../../src/gates/lane-setup-gates.js';
import type { PreflightObservation } from '../../src/local-server/preflight.js';

// One sample output per outcome of each pre-start step: the valid one, and one that fails each
// gate of that step. The all-paths proof feeds them to the machine as done events.
export const decision = {
  work_id: 'CTO-WORK-020',
  decision_status: 'local_provider_required',
  provider_class: 'local_case_compatible',
  provider: 'qwen-local',
  model: 'qwen3.6-35b-a3b',
  decided_by: 'jp',
  decided_at: '2026-05-31',
};

export const admission = {
  work_id: 'CTO-WORK-020',
  provider: 'qwen-local',
  model: 'qwen3.6-35b-a3b',
  provider_class: 'local_case_compatible',
  admission_status: 'admitted' as const,
};

export const config = {
  decisionFile: 'decision.json',
  admissionFile: 'admission.json',
  provider: 'qwen-local',
  model: 'qwen3.6-35b-a3b',
  baseUrl: 'http://127.0.0.1:8080',
  caseCommand: undefined,
  caseModelOverride: undefined,
};

const preflightOk: PreflightObservation = {
  reachable: true,
  error: null,
  health_status: 200,
  models_listed: ['qwen3.6-35b-a3b'],
  model_aliases: {},
  server_kind: 'openai-compatible',
  server_version: null,
  server_check: null,
  context_window: { tokens: null, source: 'not stated by the server' },
};

const ok = { ok: true, detail: 'ok' };
const setupOk: LaneSetupFacts = {
  fixture: { ...ok, name: 'sum-bug', tree_sha256: 'f'.repeat(64) },
  caseCommand: ok,
  isolation: ok,
  adapter: ok,
  admissionSha256: 'a'.repeat(64),
  lanes: ['fake'],
};

const bad = { ok: false, detail: 'bad' };

export const STEP_OUTCOMES: Record<string, { actor: string; outputs: unknown[] }> = {
  loading_decision: {
    actor: 'loadDecision',
    outputs: [
      { ok: false, detail: 'decision.json: not valid JSON' },
      { ok: false, unset: true, detail: 'CTO_HARNESS_CASE_DECISION_FILE missing or empty' },
      { ok: true, sha256: 'd'.repeat(64), value: { ...decision, decision_status: 'external_provider_allowed' } },
      { ok: true, sha256: 'd'.repeat(64), value: { ...decision, provider_class: 'hosted' } },
      { ok: true, sha256: 'd'.repeat(64), value: decision },
    ],
  },
  decision_loaded: {
    actor: 'readConfig',
    outputs: [
      { ...config, model: '' },
      { ...config, baseUrl: undefined },
      { ...config, baseUrl: 'ftp://127.0.0.1:8080' },
      { ...config, baseUrl: 'http://10.0.0.5:8080' },
      config,
    ],
  },
  config_checked: {
    actor: 'loadAdmission',
    outputs: [
      { ok: false, detail: 'admission.json: field "admission_status": invalid' },
      { ok: true, sha256: 'a'.repeat(64), value: { ...admission, model: 'other-model' } },
      { ok: true, sha256: 'a'.repeat(64), value: { ...admission, work_id: 'CTO-WORK-999' } },
      { ok: true, sha256: 'a'.repeat(64), value: { ...admission, admission_status: 'pending' } },
      { ok: true, sha256: 'a'.repeat(64), value: { ...admission, fallback_model: 'claude-sonnet-4-6' } },
      { ok: true, sha256: 'a'.repeat(64), value: admission },
    ],
  },
  admission_matched: {
    actor: 'preflightProvider',
    outputs: [
      { ...preflightOk, reachable: false, models_listed: [], error: 'ECONNREFUSED' },
      { ...preflightOk, models_listed: ['Qwen3.6-35B-A3B'] },
      { ...preflightOk, server_kind: 'llama.cpp', context_window: { tokens: 4096, source: 'llama.cpp /props n_ctx (per slot)' } },
      preflightOk,
    ],
  },
  provider_verified: {
    actor: 'prepareLanes',
    outputs: [
      { ...setupOk, fixture: { ...bad, name: 'sum-bug', tree_sha256: null } },
      { ...setupOk, caseCommand: bad },
      { ...setupOk, isolation: bad },
      { ...setupOk, adapter: bad },
      { ...setupOk, admissionSha256: 'b'.repeat(64) },
      setupOk,
    ],
  },
  case_process_started: { actor: 'superviseLanes', outputs: [{ lanes: [] }] },
  stage2_complete: { actor: 'emitReport', outputs: [{ status: 'fail', file: 'report.json', run_id: 'x' }] },
};
