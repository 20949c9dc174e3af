// Every reason code the route can give, declared once. `blocked` codes stop the run before Case
// starts; `fail` codes are verdicts on a run that started. Detail strings come from the gates and
// the report; these texts explain the code itself.
export const BLOCK_REASONS = {
  decision_invalid: 'the decision record is missing, unreadable, not JSON or fails its schema',
  decision_status_not_local_provider_required: 'the decision record does not require a local provider',
  provider_class_mismatch: 'the decision record does not select the local_case_compatible provider class',
  config_missing: 'a required CTO_HARNESS_CASE_* variable is missing or empty',
  local_adapter_config_missing: 'CTO_HARNESS_CASE_LOCAL_BASE_URL is not a usable http(s) URL (unparsable, or it carries credentials, a query or a fragment)',
  local_adapter_not_loopback: 'CTO_HARNESS_CASE_LOCAL_BASE_URL does not point at a loopback address',
  admission_invalid: 'the admission file is missing, unreadable, not JSON or fails its schema',
  admission_mismatch: 'the admitted provider/model differs from the environment or the decision record',
  admission_not_admitted: 'the admission status is not admitted',
  admission_changed: 'the admission file changed between the admission check and process start',
  external_fallback_configured: 'an external provider/model or a fallback is configured where only the admitted local pair may be',
  provider_unreachable: 'the local provider did not answer its preflight, or refused it (an API key it wants)',
  model_not_served: 'the local provider does not serve exactly the admitted model',
  context_window_too_small: "the local provider's context window for the model is smaller than Case needs",
  fixture_invalid: 'the Stage 2 fixture is not a valid artificial fixture of this project',
  case_command_missing: 'the Case command is not an executable file, or a path in it does not exist',
  isolation_unavailable: 'the lanes cannot be isolated in their own namespaces and --isolation is required',
  route_error: 'a pre-start step failed unexpectedly; the route fails closed',
} as const;

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

export type BlockReason = keyof typeof BLOCK_REASONS;
export type FailReason = keyof typeof FAIL_REASONS;
export type NotEvidenceReason = keyof typeof NOT_EVIDENCE_REASONS;

export const BLOCK_REASON_CODES = Object.keys(BLOCK_REASONS) as BlockReason[];
