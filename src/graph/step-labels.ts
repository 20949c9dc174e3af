// Each state of the route read as what happens in it: a run that blocked in `config_checked`
// blocked while checking the admission, and a person reads the latter. Keyed by the route
// machine's state ids; a test fails when a state has no label.
export const STEP_LABELS: Readonly<Record<string, string>> = {
  loading_decision: 'loading the decision record',
  decision_loaded: 'checking the configuration',
  config_checked: 'checking the admission',
  admission_matched: 'checking the local server',
  provider_verified: 'preparing the lanes',
  case_process_started: 'running Case (Stage 2)',
  stage2_complete: 'writing the report',
  validated: 'every gate passed (validate only)',
  report_emitted: 'report written',
  report_failed: 'the report could not be written',
  blocked: 'blocked before Case started',
  aborted: 'aborted',
};

export function stepLabel(state: string): string {
  return STEP_LABELS[state] ?? state;
}
