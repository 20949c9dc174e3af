// Secrets are removed from every artifact by value (exact strings the harness knows) and by shape
// (credential formats it does not know the value of).
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;
const MIN_SECRET_LENGTH = 6;

export const SECRET_PATTERNS: readonly RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /sk-(?:proj-)?[A-Za-z0-9_-]{16,}/g,
  /hf_[A-Za-z0-9]{16,}/g,
  /(?:AKIA|ASIA)[A-Z0-9]{16}/g,
  /gh[pousr]_[A-Za-z0-9]{20,}/g,
  /github_pat_[A-Za-z0-9_]{20,}/g,
  /Bearer\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /([?&](?:key|api_key|apikey|token|access_token)=)[^&\s"']+/gi,
];

export const REDACTED = '[REDACTED]';

export function secretValuesFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === 'string' && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value as string);
}

export interface Redactor {
  redact(text: string): string;
  readonly count: number;
  // True when the text still holds something the redactor would remove: the pre-finish scan.
  finds(text: string): boolean;
}

export function createRedactor(secretValues: readonly string[]): Redactor {
  // Longest first, so a secret that contains another is removed whole.
  const values = [...new Set(secretValues.filter((v) => v.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  let count = 0;
  return {
    redact(text) {
      let out = text;
      for (const value of values) {
        const parts = out.split(value);
        count += parts.length - 1;
        out = parts.join(REDACTED);
      }
      for (const pattern of SECRET_PATTERNS) {
        out = out.replace(pattern, (match, prefix?: unknown) => {
          count += 1;
          return typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED;
        });
      }
      return out;
    },
    get count() {
      return count;
    },
    finds(text) {
      if (values.some((value) => text.includes(value))) return true;
      return SECRET_PATTERNS.some((pattern) => {
        pattern.lastIndex = 0;
        const hit = pattern.test(text);
        pattern.lastIndex = 0;
        return hit;
      });
    },
  };
}
