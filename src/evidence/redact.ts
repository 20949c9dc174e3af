// Secrets are removed from every artifact by value (exact strings the harness knows) and by shape
// (credential formats it does not know the value of, redact/secret-shapes.ts). A large text goes
// the fast path (redact/fast-path.ts), which finds literals with one sweep (redact/literal-sweep.ts)
// and gives what the passes (redact/passes.ts) give over the whole text.
import { FAST_PATH_MIN_LENGTH, FastPath } from './redact/fast-path.js';
import { buildPasses, pathPatternsOf, runPasses, type PathLabel, type Redacted, type ScanResult } from './redact/passes.js';
import { REDACTED, SECRET_PATTERNS } from './redact/secret-shapes.js';

export { REDACTED, SECRET_PATTERNS } from './redact/secret-shapes.js';
export type { PathLabel, ScanResult } from './redact/passes.js';

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;
const MIN_SECRET_LENGTH = 6;

export function secretValuesFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === 'string' && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value as string);
}

export interface Redactor {
  redact(text: string): string;
  // Secrets removed so far, over every call.
  readonly count: number;
  // What the text still holds that the redactor would remove: the pre-finish scan.
  scan(text: string): ScanResult;
}

const MAX_REDACTION_ROUNDS = 3;

const flags = (found: ScanResult) => found.secret || found.path;

// A value as it reads inside a JSON string, and inside a JSON string held in one (a transcript's
// stream events): a quote, a backslash or a control character in a secret is written escaped there.
function jsonForms(value: string): string[] {
  const once = JSON.stringify(value).slice(1, -1);
  return [value, once, JSON.stringify(once).slice(1, -1)];
}

export function createRedactor(secretValues: readonly string[], paths: readonly PathLabel[] = []): Redactor {
  // Longest first, so a secret that contains another is removed whole.
  const values = [...new Set(secretValues.filter((v) => v.length >= MIN_SECRET_LENGTH).flatMap(jsonForms))].sort((a, b) => b.length - a.length);
  const pathPatterns = pathPatternsOf(paths);
  const passes = buildPasses(values, pathPatterns);
  const literals = [...values, ...pathPatterns.map((p) => p.path)];
  // The fast path cuts the text at line starts: a literal holding white space could span one.
  const splittable = !literals.some((literal) => /\s/.test(literal));
  const fastPath = new FastPath(passes, literals, [REDACTED, ...pathPatterns.map((p) => p.label)]);
  let count = 0;

  const scan = (text: string): ScanResult => {
    if (text.length >= FAST_PATH_MIN_LENGTH) return fastPath.scan(text);
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
  };

  const redactOnce = (text: string): Redacted => {
    if (splittable && text.length >= FAST_PATH_MIN_LENGTH) return fastPath.redact(text);
    const out = runPasses(passes, text);
    return { ...out, scan: () => scan(out.text) };
  };
  return {
    // A replacement can complete a match that was not there before (a path directly followed by a
    // secret reads as the bare path once the secret is gone), so the text is redacted again while
    // the scan still finds something, a bounded number of times.
    redact(text) {
      let once = redactOnce(text);
      count += once.count;
      for (let round = 1; round < MAX_REDACTION_ROUNDS && flags(once.scan()); round++) {
        once = redactOnce(once.text);
        count += once.count;
      }
      return once.text;
    },
    get count() {
      return count;
    },
    scan,
  };
}
