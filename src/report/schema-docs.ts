// What `case-route schema` says about each field, by its path in the record (`lanes[].exit_code`
// for a field of each item of `lanes`). Kept apart from the zod schemas, which are the rules, so
// that the schemas read as rules; test/ux-schema.test.ts fails when a field has no entry here, or
// an entry no field. A leaf carries an example; the example of an object or a list is assembled
// from its fields' examples, so each whole example is checked against its schema.
export interface FieldDoc {
  readonly description: string;
  readonly example?: unknown;
}

type Docs = Readonly<Record<string, FieldDoc>>;

const SHA = 'e57aa7dc0d7ab6cdaec4d05a8c27041c87b22bda66a3fa674aa4c06b9a681742';
const TREE_SHA = 'dd125cd674c4309f3aacf669936c61569b65695578454414732c4603e5bef9c4';

const DECISION: Docs = {
  work_id: { description: 'The work item the decision belongs to; the admission file must name the same one.', example: 'CTO-WORK-020' },
  decision_status: {
    description:
      'What the decision requires. The route runs only for "local_provider_required"; any other value is read and blocks with decision_status_not_local_provider_required.',
    example: 'local_provider_required',
  },
  provider_class: {
    description: 'The class of provider the decision selects. The route runs only for "local_case_compatible"; any other value blocks with provider_class_mismatch.',
    example: 'local_case_compatible',
  },
  provider: { description: 'The logical provider decided on; must equal the admission file\'s and CTO_HARNESS_CASE_MODEL_PROVIDER.', example: 'qwen-local' },
  model: { description: 'The model id decided on, exact and case-sensitive; must equal the admission file\'s and CTO_HARNESS_CASE_MODEL.', example: 'qwen3.6-35b-a3b' },
  decided_by: { description: 'Who made the decision.', example: 'jp' },
  decided_at: { description: 'When the decision was made (a date, as written by its author).', example: '2026-05-31' },
};

const ADMISSION: Docs = {
  work_id: { description: 'The work item that owns the admission; must equal the decision record\'s.', example: 'CTO-WORK-020' },
  provider: { description: 'The admitted logical provider; must equal CTO_HARNESS_CASE_MODEL_PROVIDER and the decision record\'s.', example: 'qwen-local' },
  model: { description: 'The admitted model id, exact and case-sensitive; must equal CTO_HARNESS_CASE_MODEL and the decision record\'s, and be served by the local provider.', example: 'qwen3.6-35b-a3b' },
  provider_class: { description: 'The admitted provider class; must equal the decision record\'s.', example: 'local_case_compatible' },
  admission_status: { description: 'Where the admission stands. Only "admitted" runs; the others block with admission_not_admitted.', example: 'admitted' },
};

const REPORT: Docs = {
  schema_version: { description: 'The version of this report format.', example: 1 },
  run_id: { description: 'The run\'s id, also the name of its directory under the output directory.', example: 'kUZ5PFBjNiFs' },
  status: { description: 'The verdict: pass, fail (Case started and the run did not pass), blocked (stopped by a gate before Case started) or aborted (stopped by a signal or the caller).', example: 'pass' },
  blocked_reason: { description: 'The reason code of the gate that blocked the run; null unless status is blocked.', example: null },
  blocked_detail: { description: 'What the blocking gate found, in words; null unless status is blocked.', example: null },
  fail_reasons: { description: 'Why a run that started did not pass, one entry per reason; empty on a pass.', example: [] },
  'fail_reasons[].reason': { description: 'The reason code.', example: 'acceptance_failed' },
  'fail_reasons[].detail': { description: 'What was found, in words.', example: 'fake lane: acceptance check exit 1' },
  final_state: { description: 'The state the route machine ended in.', example: 'report_emitted' },
  states_visited: { description: 'Every state the route entered, in order.' },
  'states_visited[].state': { description: 'The state\'s name.', example: 'loading_decision' },
  'states_visited[].at': { description: 'When it was entered (ISO 8601, UTC).', example: '2026-11-30T18:06:17.513Z' },
  gates: { description: 'Every pre-start gate in route order, with its outcome in this run.' },
  'gates[].gate': { description: 'The gate\'s name, as the route diagram shows it.', example: 'admissionIsAdmitted' },
  'gates[].outcome': { description: 'passed, blocked (the gate that stopped the run) or not_reached.', example: 'passed' },
  case_process_started: { description: 'Whether any lane process (Case or the fake Case) was started. Always false on a blocked run.', example: true },
  lane: { description: 'The lane asked for: fake, or real (real Case beside the fake baseline).', example: 'fake' },
  started_at: { description: 'When the run started (ISO 8601, UTC).', example: '2026-11-30T18:06:17.502Z' },
  finished_at: { description: 'When the report was written (ISO 8601, UTC).', example: '2026-11-30T18:06:21.104Z' },
  decision_ref: { description: 'The decision record that was read; null when none could be read.' },
  'decision_ref.work_id': { description: 'Its work item.', example: 'CTO-WORK-020' },
  'decision_ref.sha256': { description: 'The sha256 of its bytes as read.', example: SHA },
  admission_ref: { description: 'The admission file that was read; null when none could be read.' },
  'admission_ref.sha256': { description: 'The sha256 of its bytes as read at the admission check.', example: SHA },
  decision_status: { description: 'decision_status as the decision record says it; null when the record could not be read.', example: 'local_provider_required' },
  provider_class: { description: 'provider_class as the decision record says it; null when the record could not be read.', example: 'local_case_compatible' },
  case_model_provider: { description: 'The admitted logical provider, from the admission file the gates checked.', example: 'qwen-local' },
  case_model: { description: 'The admitted model, from the admission file the gates checked.', example: 'qwen3.6-35b-a3b' },
  case_model_admission_status: { description: 'admission_status from the admission file the gates checked.', example: 'admitted' },
  case_provider_key: { description: 'The provider key Case was configured with for the admitted model; null before lanes were prepared.', example: 'openai' },
  preflight: { description: 'What the local provider answered before Case started; null when the preflight was not reached.' },
  'preflight.reachable': { description: 'Whether the base URL answered.', example: true },
  'preflight.server_kind': { description: 'The kind of server recognised: llama.cpp, vllm, ollama, lmstudio or openai-compatible.', example: 'openai-compatible' },
  'preflight.models_listed': { description: 'The model ids /v1/models listed.', example: ['qwen3.6-35b-a3b'] },
  'preflight.health_status': { description: 'The HTTP status of the server\'s health endpoint; null when it has none.', example: 200 },
  'preflight.server_check': { description: 'The server-specific check (a loaded model, a local rather than remote model); null when the kind has none.' },
  'preflight.server_check.ok': { description: 'Whether it passed.', example: true },
  'preflight.server_check.detail': { description: 'What it found.', example: 'qwen3.6-35b-a3b is loaded' },
  fixture: { description: 'The Stage 2 fixture asked for; null before lanes were prepared.' },
  'fixture.name': { description: 'Its name under examples/fixtures.', example: 'sum-bug' },
  'fixture.tree_sha256': { description: 'The sha256 digest of its file tree; null when it could not be read.', example: TREE_SHA },
  lanes: { description: 'One entry per lane that was started: the primary lane, and on the real lane the fake baseline.' },
  'lanes[].lane': { description: 'fake or real.', example: 'fake' },
  'lanes[].role': { description: 'primary (the lane asked for) or baseline (the fake lane beside real Case).', example: 'primary' },
  'lanes[].fixture': { description: 'The fixture copied for this lane.' },
  'lanes[].fixture.name': { description: 'Its name.', example: 'sum-bug' },
  'lanes[].fixture.tree_sha256': { description: 'The sha256 digest of the tree that was copied.', example: TREE_SHA },
  'lanes[].model_mapping': { description: 'What Case was told: the admitted pair and the provider key it reaches it by.' },
  'lanes[].model_mapping.logical_provider': { description: 'The admitted logical provider.', example: 'qwen-local' },
  'lanes[].model_mapping.case_provider_key': { description: 'The provider key in Case\'s generated config.', example: 'openai' },
  'lanes[].model_mapping.model': { description: 'The model every Case role was pinned to.', example: 'qwen3.6-35b-a3b' },
  'lanes[].isolation': { description: 'What the lane ran under: its own Linux namespaces, or not isolated (--isolation off or auto without namespaces).' },
  'lanes[].isolation.mode': { description: '`namespaces` (sealed: egress and tampering prevented) or `off` (observed, not prevented).', example: 'namespaces' },
  'lanes[].isolation.detail': { description: 'The same, in words.', example: 'own user, mount, PID and network namespaces; loopback only; only its workspace writable' },
  'lanes[].started_at': { description: "When the lane's process (its sandbox, when isolated) was started, ISO 8601.", example: '2026-11-30T12:00:00.000Z' },
  'lanes[].exit_code': { description: 'The lane process\'s exit code; null when it was killed by a signal.', example: 0 },
  'lanes[].signal': { description: 'The signal that ended it; null when it exited.', example: null },
  'lanes[].timed_out': { description: 'Whether it ran past its timeout and its process tree was killed.', example: false },
  'lanes[].duration_ms': { description: 'How long the lane process ran, in milliseconds.', example: 1879 },
  'lanes[].requests_total': { description: 'Every request that reached the lane\'s recording proxy.', example: 9 },
  'lanes[].requests_by_model': { description: 'Those requests counted by the model they named.', example: { 'qwen3.6-35b-a3b': 9 } },
  'lanes[].rejected_requests': { description: 'Requests the recording proxy refused; any refusal fails no_fallback.', example: [] },
  'lanes[].rejected_requests[].reason': { description: 'Why it was refused.', example: 'model_not_admitted' },
  'lanes[].rejected_requests[].path': { description: 'The request path.', example: '/v1/chat/completions' },
  'lanes[].rejected_requests[].model': { description: 'The model it named; null when none.', example: 'claude-sonnet-4-6' },
  'lanes[].rejected_requests[].status': { description: 'The HTTP status the proxy answered.', example: 403 },
  'lanes[].egress_attempts': { description: 'Connections the lane tried through the deny-all egress proxy; any fails no_fallback.', example: [] },
  'lanes[].egress_attempts[].host': { description: 'The host it tried to reach.', example: 'api.anthropic.com' },
  'lanes[].egress_attempts[].port': { description: 'The port.', example: 443 },
  'lanes[].spawn_lines': { description: 'Case\'s "spawning agent" log lines: the provider and model each agent was started with.' },
  'lanes[].spawn_lines[].agent': { description: 'The agent role; null when the line did not say.', example: 'implementer' },
  'lanes[].spawn_lines[].provider': { description: 'The provider key it named.', example: 'openai' },
  'lanes[].spawn_lines[].model': { description: 'The model it named.', example: 'qwen3.6-35b-a3b' },
  'lanes[].pipeline_outcome': { description: 'The outcome in Case\'s pipeline_end event; null when there was none.', example: 'completed' },
  'lanes[].acceptance': { description: 'The fixture\'s acceptance check, run by the harness after the lane.' },
  'lanes[].acceptance.ran': { description: 'Whether it ran.', example: true },
  'lanes[].acceptance.passed': { description: 'Whether it passed.', example: true },
  'lanes[].acceptance.exit_code': { description: 'Its exit code; null when it did not run or was killed.', example: 0 },
  'lanes[].acceptance.detail': { description: 'How it ended, or why it did not run, in words.', example: 'passed' },
  'lanes[].evidence_problems': { description: "Evidence the harness could not read whole or in its required shape (past a cap, a spawn line in another format, a FIFO or symlink where an event log should be); any one fails the run.", example: [] },
  'lanes[].evidence_problems[].kind': { description: '`truncated` (evidence_truncated) or `unparseable` (evidence_unparseable).', example: 'truncated' },
  'lanes[].evidence_problems[].detail': { description: 'What was found, in words.', example: "the lane's output passed 33554432 bytes and the lane was stopped" },
  'lanes[].pull_requests': { description: 'Pull requests Case asked the local gh stand-in to open (none reaches GitHub).', example: 1 },
  'lanes[].refused_gh_calls': { description: 'Other gh calls, which the stand-in refused.', example: 0 },
  'lanes[].history_holds_secret': { description: 'Whether the lane\'s git history held a secret value (a finding fails the run).', example: false },
  'lanes[].served_after': { description: 'Whether the provider still served the admitted model after the lane.' },
  'lanes[].served_after.checked': { description: 'Whether it was asked.', example: true },
  'lanes[].served_after.still_served': { description: 'Whether the admitted model was still listed.', example: true },
  'lanes[].served_after.detail': { description: 'What it answered.', example: 'qwen3.6-35b-a3b still listed' },
  'lanes[].timeline': {
    description:
      "What the lane's actor went through, in order: the events it received as the harness observed them (machines/lane.machine.ts), the same events the inspector shows. Events: case.started (its process spawned), case.spawn_line, proxy.model_request, proxy.egress_attempt, case.exited / case.timed_out / case.killed (its process gone), case.failed, checks.pipeline_end (Case's pipeline_end event, read after the lane), checks.done (acceptance run and evidence read), checks.failed.",
  },
  'lanes[].timeline[].at': { description: 'When the harness observed it, ISO 8601.', example: '2026-11-30T12:00:00.412Z' },
  'lanes[].timeline[].event': { description: 'The event, by its type in the lane machine.', example: 'proxy.model_request' },
  'lanes[].stage2': { description: 'The lane\'s Stage 2 verdict: exit 0, pipeline_end completed and the acceptance check passing.' },
  'lanes[].stage2.passed': { description: 'Whether Stage 2 passed.', example: true },
  'lanes[].stage2.failures': { description: 'What failed it; empty on a pass.', example: [] },
  'lanes[].no_fallback': { description: 'The lane\'s no-fallback verdict.' },
  'lanes[].no_fallback.verdict': { description: 'Whether the lane\'s evidence proves that only the admitted model was used.', example: true },
  'lanes[].no_fallback.failures': { description: 'What the evidence showed instead; empty when proven.', example: [] },
  no_fallback: { description: 'The run\'s no-fallback verdict: every lane\'s, together.' },
  'no_fallback.verdict': { description: 'Whether every lane proved that only the admitted model was used.', example: true },
  'no_fallback.evidence': {
    description: 'The evidence, one line per lane.',
    example: ['fake lane: 9 request(s), all for qwen3.6-35b-a3b; 4 spawn line(s) naming openai/qwen3.6-35b-a3b; no refusals; no egress'],
  },
  baseline_comparison: { description: 'Real lane only: real Case compared with the same-run fake baseline; null on the fake lane.', example: null },
  'baseline_comparison.baseline_passed': { description: 'Whether the baseline passed (a real pass requires it).', example: true },
  'baseline_comparison.differences': { description: 'Compared fields where real Case and the baseline differ.', example: [] },
  redactions: { description: 'Secret values and machine paths replaced in the run\'s artifacts.' },
  'redactions.count': { description: 'How many replacements were made.', example: 0 },
};

export const SCHEMA_DOCS = { decision: DECISION, admission: ADMISSION, report: REPORT } as const;
