import type { BlockReason } from './reasons.js';

// What each block reason expected and how a person gets past it, declared once beside the codes:
// the CLI summary and the HTML report both say it in these words. What was found is the gate's
// own detail, recorded in the report.
export interface BlockFix {
  readonly expected: string;
  readonly fix: string;
}

export const BLOCK_FIXES: Readonly<Record<BlockReason, BlockFix>> = {
  decision_invalid: {
    expected: 'CTO_HARNESS_CASE_DECISION_FILE names a readable JSON decision record with every field its schema requires',
    fix: 'point CTO_HARNESS_CASE_DECISION_FILE at the decision record and correct the fields named above (`case-route schema decision` prints the schema)',
  },
  decision_status_not_local_provider_required: {
    expected: 'the decision record says "decision_status": "local_provider_required"',
    fix: 'use the decision record that requires a local provider; the route runs only for that decision and never edits the record',
  },
  provider_class_mismatch: {
    expected: 'the decision record says "provider_class": "local_case_compatible"',
    fix: 'use the decision record that selects the local_case_compatible provider class',
  },
  config_missing: {
    expected: 'every CTO_HARNESS_CASE_* variable the route needs is set and not empty',
    fix: 'export the variables named above (README "Environment" lists each one) and run again',
  },
  local_adapter_config_missing: {
    expected: 'CTO_HARNESS_CASE_LOCAL_BASE_URL is a plain http(s) URL: no credentials, query or fragment',
    fix: 'set CTO_HARNESS_CASE_LOCAL_BASE_URL to the server\'s base URL alone, e.g. http://127.0.0.1:8080/v1; a key goes in CTO_HARNESS_CASE_LOCAL_API_KEY',
  },
  local_adapter_not_loopback: {
    expected: 'CTO_HARNESS_CASE_LOCAL_BASE_URL points at a loopback address (127.0.0.0/8, ::1 or localhost)',
    fix: 'serve the model on this machine and point CTO_HARNESS_CASE_LOCAL_BASE_URL at 127.0.0.1; a remote server is not a local model',
  },
  admission_invalid: {
    expected: 'CTO_HARNESS_CASE_MODEL_ADMISSION_FILE names a readable JSON admission file with every field its schema requires',
    fix: 'point CTO_HARNESS_CASE_MODEL_ADMISSION_FILE at the admission file and correct the fields named above (`case-route schema admission` prints the schema)',
  },
  admission_mismatch: {
    expected: 'the admission file names the same provider and model as CTO_HARNESS_CASE_MODEL_PROVIDER, CTO_HARNESS_CASE_MODEL and the decision record',
    fix: 'set the variables to the admitted pair exactly (model ids are case-sensitive), or use the admission file of the model you mean to run',
  },
  admission_not_admitted: {
    expected: 'the admission file says "admission_status": "admitted"',
    fix: 'the admission file must say "admitted": finish the model\'s admission first (the route reads that file and never writes it)',
  },
  admission_changed: {
    expected: 'the admission file keeps the bytes that were checked until Case starts',
    fix: 'do not edit the admission file during a run; run again once it is settled',
  },
  external_fallback_configured: {
    expected: 'only the admitted local provider and model are configured: no external provider, model override or fallback',
    fix: 'remove the external provider or fallback named above (for example CASE_MODEL_OVERRIDE or an API key of an external provider) and run again',
  },
  provider_unreachable: {
    expected: 'the local server answers /v1/models at CTO_HARNESS_CASE_LOCAL_BASE_URL',
    fix: 'start the local server (llama.cpp, vLLM, Ollama or LM Studio) on that address; if it wants a key, set CTO_HARNESS_CASE_LOCAL_API_KEY',
  },
  model_not_served: {
    expected: 'the local server lists exactly the admitted model id',
    fix: 'load the admitted model in the local server under that exact id (e.g. llama-server --alias ID)',
  },
  context_window_too_small: {
    expected: 'the local server states a context window of at least 16384 tokens for the model',
    fix: 'restart the local server with a larger context window (e.g. llama-server -c 32768)',
  },
  fixture_invalid: {
    expected: '--fixture names an artificial fixture of this project, with a valid manifest, within its size caps',
    fix: 'pick one of the fixtures listed above, or correct the fixture\'s manifest',
  },
  case_command_missing: {
    expected: 'CTO_HARNESS_CASE_COMMAND starts with an executable file and every path in it exists',
    fix: 'set CTO_HARNESS_CASE_COMMAND to how Case starts on this machine, e.g. "ca" on PATH or "bun /path/to/case/src/index.ts"',
  },
  isolation_unavailable: {
    expected: 'each lane can run in its own user, mount, PID and network namespaces',
    fix: 'allow unprivileged user namespaces on this machine, or run with --isolation auto or off (a run that is not isolated is never real Stage 2 evidence)',
  },
  route_error: {
    expected: 'every pre-start step answers',
    fix: 'read the detail above; run again with --debug for the stack trace, and report it if it is a bug',
  },
};
