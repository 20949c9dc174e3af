// Credential formats the redactor removes without knowing their values.

export const REDACTED = '[REDACTED]';

// Each shape with the literals one of its matches always starts with: the fast path looks for the
// literals and runs the shape only where one occurs, so a match that starts otherwise would be
// missed on a large text (test/evidence/redact.test.ts checks every shape keeps to its starts).
export interface SecretShape {
  readonly pattern: RegExp;
  readonly starts: readonly string[];
}

export const SECRET_SHAPES: readonly SecretShape[] = [
  { pattern: /sk-ant-[A-Za-z0-9_-]{8,}/g, starts: ['sk-ant-'] },
  { pattern: /sk-(?:proj-)?[A-Za-z0-9_-]{16,}/g, starts: ['sk-'] },
  { pattern: /hf_[A-Za-z0-9]{16,}/g, starts: ['hf_'] },
  { pattern: /(?:AKIA|ASIA)[A-Z0-9]{16}/g, starts: ['AKIA', 'ASIA'] },
  { pattern: /gh[pousr]_[A-Za-z0-9]{20,}/g, starts: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'] },
  { pattern: /github_pat_[A-Za-z0-9_]{20,}/g, starts: ['github_pat_'] },
  { pattern: /Bearer\s+[A-Za-z0-9._~+/=-]{8,}/g, starts: ['Bearer'] },
  { pattern: /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, starts: ['eyJ'] },
  // The lookahead keeps the redactor's own output from matching again in the pre-finish scan.
  { pattern: /([?&](?:key|api_key|apikey|token|access_token)=)(?!\[REDACTED\])[^&\s"']+/gi, starts: ['?', '&'] },
];

export const SECRET_PATTERNS: readonly RegExp[] = SECRET_SHAPES.map((shape) => shape.pattern);
