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

// An absolute path of this machine is replaced by a label: artifacts name the workspace, the
// checkout and the user's home relatively. Paths are not secrets and are not counted as such.
export interface PathLabel {
  readonly path: string;
  readonly label: string;
}

export interface ScanResult {
  readonly secret: boolean;
  readonly path: boolean;
}

export interface Redactor {
  redact(text: string): string;
  readonly count: number;
  // What the text still holds that the redactor would remove: the pre-finish scan.
  scan(text: string): ScanResult;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MIN_PATH_LENGTH = 4;

export function createRedactor(secretValues: readonly string[], paths: readonly PathLabel[] = []): Redactor {
  // Longest first, so a secret that contains another is removed whole.
  const values = [...new Set(secretValues.filter((v) => v.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  const pathPatterns = [...paths]
    .map((p) => ({ path: p.path.replace(/\/+$/, ''), label: p.label }))
    .filter((p) => p.path.length >= MIN_PATH_LENGTH)
    .sort((a, b) => b.path.length - a.path.length)
    .map((p) => ({ pattern: new RegExp(`${escapeRegExp(p.path)}(?![\\w.-])`, 'g'), label: p.label }));
  let count = 0;
  return {
    redact(text) {
      let out = text;
      for (const { pattern, label } of pathPatterns) out = out.replace(pattern, label);
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
    scan(text) {
      const matches = (pattern: RegExp) => {
        pattern.lastIndex = 0;
        const hit = pattern.test(text);
        pattern.lastIndex = 0;
        return hit;
      };
      return {
        secret: values.some((value) => text.includes(value)) || SECRET_PATTERNS.some(matches),
        path: pathPatterns.some(({ pattern }) => matches(pattern)),
      };
    },
  };
}
