import type { AuditRecord } from '../../src/evidence/proxy-audit.js';
import type { LaneEvidence } from '../../src/lanes/lane-types.js';

export const MODEL = 'qwen2.5-coder-7b-instruct';

export function request(fields: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: '2026-11-30T20:00:00.000Z',
    method: 'POST',
    path: '/v1/chat/completions',
    model: MODEL,
    status: 200,
    bytes_in: 100,
    bytes_out: 200,
    latency_ms: 5,
    streamed: false,
    refused: null,
    upstream_attempts: 1,
    upstream_error: null,
    ttft_ms: 2,
    prompt_tokens: 40,
    completion_tokens: 8,
    tokens_per_second: null,
    tokens_per_second_source: null,
    ...fields,
  };
}

// The evidence of a lane that passed on every count; a case changes only what it is about.
export function passingLane(fields: Partial<LaneEvidence> = {}): LaneEvidence {
  return {
    lane: 'fake',
    role: 'primary',
    isolation: { mode: 'namespaces', detail: 'user, mount, pid and network namespaces' },
    fixture: { name: 'sum-bug', tree_sha256: 'a'.repeat(64) },
    mapping: { logical_provider: 'local', case_provider_key: 'local', model: MODEL },
    started_at: '2026-11-30T20:00:00.000Z',
    upstream: { source: 'admitted_server', base_url: 'http://127.0.0.1:8080/v1' },
    exit_code: 0,
    signal: null,
    timed_out: false,
    duration_ms: 1000,
    requests: [request()],
    egress_attempts: [],
    spawn_lines: [{ agent: 'implementer', provider: 'local', model: MODEL }],
    pipeline_outcome: 'completed',
    acceptance: { ran: true, passed: true, exit_code: 0, detail: 'exit 0', output_tail: '' },
    evidence_problems: [],
    pull_requests: 0,
    refused_gh_calls: 0,
    history_holds_secret: false,
    served_after: { checked: true, still_served: true, detail: `${MODEL} still served` },
    case_command: null,
    first_error: null,
    timeline: [],
    phases: [],
    transcript_kept: true,
    ...fields,
  };
}
