// Every code a gate can block the route with, declared once: each stops the run before Case
// starts. A run that started is judged by the verdict's codes (src/report/verdict-reasons.ts).
// Detail strings come from the gates; these texts explain the code itself.
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

export type BlockReason = keyof typeof BLOCK_REASONS;

export const BLOCK_REASON_CODES = Object.keys(BLOCK_REASONS) as BlockReason[];
