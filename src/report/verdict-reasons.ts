// The codes of a verdict on a run that started, declared once: why a run failed, and why a run is
// not the Stage 2 evidence its work item waits for. A run blocked before Case starts has a gate's
// code instead (src/gates/reasons.ts).
export const FAIL_REASONS = {
  case_exit_nonzero: 'a lane process exited non-zero or was killed',
  case_timeout: 'a lane ran past its timeout and its process tree was killed',
  pipeline_not_completed: "Case's pipeline_end event is missing or its outcome is not completed",
  acceptance_failed: "the fixture's acceptance check failed after the lane",
  fallback_detected: 'positive evidence of another model or provider, or of an escape attempt',
  no_model_traffic: 'a lane made no model request through its recording proxy',
  evidence_truncated: "a lane's evidence reached its size cap; what it held past the cap is unseen",
  evidence_unparseable: "a lane's evidence could not be read whole or does not have its required shape",
  provider_error: 'the local server failed requests: no answer, an answer cut off, or an error status',
  provider_context_exceeded: "the local server refused requests longer than its context window",
  model_changed: 'the provider no longer serves the admitted model after the lane',
  baseline_failed: 'the same-run fake baseline did not pass',
  secret_detected: 'a secret value was found in an artifact',
  path_exposed: 'an absolute path of this machine was found in an artifact',
  lane_error: 'a lane could not be supervised to its end',
  replay_diverged: 'the replay lane left the run it replays: a request not equivalent to the recorded one, a recorded request not made, or other agents, request count or Stage 2 result',
} as const;

// Why a run is not the real Stage 2 pass evidence its decision record's work item waits for.
// Every one that applies is reported; none applies only to a real-lane pass that is that evidence.
export const NOT_EVIDENCE_REASONS = {
  blocked: 'the run was blocked before Case started',
  aborted: 'the run was aborted before it could pass',
  failed: 'Case ran and the run did not pass',
  fake_lane: 'the primary lane ran the bundled fake Case: it validates the route, not Case',
  replay: "the model's answers were replayed from a script, not produced by the admitted model",
  no_baseline_pass: 'the same-run fake baseline did not pass',
  no_isolation: 'the primary lane was not isolated, so what it left could have been forged from inside it',
} as const;

export type FailReason = keyof typeof FAIL_REASONS;
export type NotEvidenceReason = keyof typeof NOT_EVIDENCE_REASONS;
