import type { Admission } from '../inputs/admission.js';
import type { Decision } from '../inputs/decision.js';
import { ENV, type EnvConfig } from '../inputs/env-config.js';
import { REQUIRED_PROVIDER_CLASS } from './decision-gates.js';
import { isExternalModel, isExternalProvider } from './external-providers.js';
import { block, PASS, type GateResult } from './gate-result.js';

export function admissionMatchesEnv(admission: Admission, config: EnvConfig): GateResult {
  if (admission.provider !== config.provider || admission.model !== config.model) {
    return block(
      'admission_mismatch',
      `admission names ${admission.provider}/${admission.model}, ${ENV.provider}/${ENV.model} name ${config.provider}/${config.model}`,
    );
  }
  return PASS;
}

export function admissionMatchesDecision(admission: Admission, decision: Decision): GateResult {
  if (admission.provider !== decision.provider || admission.model !== decision.model) {
    return block(
      'admission_mismatch',
      `admission names ${admission.provider}/${admission.model}, the decision record names ${decision.provider}/${decision.model}`,
    );
  }
  if (admission.provider_class !== REQUIRED_PROVIDER_CLASS) {
    return block('admission_mismatch', `admission provider_class is "${admission.provider_class}", expected "${REQUIRED_PROVIDER_CLASS}"`);
  }
  if (admission.work_id !== decision.work_id) {
    return block('admission_mismatch', `admission work_id "${admission.work_id}" differs from the decision record's "${decision.work_id}"`);
  }
  return PASS;
}

export function admissionIsAdmitted(admission: Admission): GateResult {
  return admission.admission_status === 'admitted'
    ? PASS
    : block('admission_not_admitted', `admission_status is "${admission.admission_status}"`);
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

// A fallback field anywhere in a record is a second route the harness would not see being taken.
export function findFallbackFields(record: unknown, path = ''): string[] {
  if (record === null || typeof record !== 'object') return [];
  return Object.entries(record).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    const own = /fallback/i.test(key) && !isEmptyValue(value) ? [here] : [];
    return [...own, ...findFallbackFields(value, here)];
  });
}

export function noExternalFallbackConfigured(admission: Admission, decision: Decision, config: EnvConfig): GateResult {
  const pairs: Array<[string, string | undefined, string | undefined]> = [
    ['admission', admission.provider, admission.model],
    ['decision record', decision.provider, decision.model],
    ['environment', config.provider, config.model],
  ];
  for (const [source, provider, model] of pairs) {
    if (provider !== undefined && isExternalProvider(provider)) {
      return block('external_fallback_configured', `${source} names external provider "${provider}"`);
    }
    if (model !== undefined && isExternalModel(model)) {
      return block('external_fallback_configured', `${source} names external model "${model}"`);
    }
  }
  if (config.caseModelOverride?.trim()) {
    return block(
      'external_fallback_configured',
      `${ENV.caseModelOverride} is set in the harness environment; Case would run anthropic/${config.caseModelOverride.trim()}`,
    );
  }
  const fields = [
    ...findFallbackFields(admission).map((field) => `admission field "${field}"`),
    ...findFallbackFields(decision).map((field) => `decision record field "${field}"`),
  ];
  return fields.length === 0 ? PASS : block('external_fallback_configured', `${fields.join(', ')} configures a fallback`);
}
