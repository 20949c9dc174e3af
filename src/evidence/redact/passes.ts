import { REDACTED, SECRET_SHAPES } from './secret-shapes.js';

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

// Text after some passes, and how many secrets they removed.
export interface Applied {
  readonly text: string;
  readonly count: number;
}

// One round of redaction, and the scan of its output.
export interface Redacted extends Applied {
  scan(): ScanResult;
}

// One pass of the redactor. Every match of a pass starts with one of its literals. A path or a
// known value is a single literal with a fixed replacement; a path must not be followed by a word
// character, dot or dash.
export interface Pass {
  readonly kind: 'path' | 'secret';
  readonly literals: readonly string[];
  readonly replacement?: string;
  readonly lookahead?: boolean;
  // Whether a match starts at `index`, where one of the literals is.
  matchesAt(text: string, index: number): boolean;
  apply(text: string): Applied;
}

export interface PathPattern {
  readonly path: string;
  readonly pattern: RegExp;
  readonly label: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MIN_PATH_LENGTH = 4;

// Longest first, so that a path inside another is replaced only where the longer one is not.
export function pathPatternsOf(paths: readonly PathLabel[]): PathPattern[] {
  return [...paths]
    .map((p) => ({ path: p.path.replace(/\/+$/, ''), label: p.label }))
    .filter((p) => p.path.length >= MIN_PATH_LENGTH)
    .sort((a, b) => b.path.length - a.path.length)
    .map((p) => ({ path: p.path, pattern: new RegExp(`${escapeRegExp(p.path)}(?![\\w.-])`, 'g'), label: p.label }));
}

// `[\w.-]`, by code; NaN (past the end) is not one.
export function isWordDotDash(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46 || code === 45;
}

function stickyTest(pattern: RegExp): (text: string, index: number) => boolean {
  const sticky = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}y`);
  return (text, index) => {
    sticky.lastIndex = index;
    return sticky.test(text);
  };
}

// The passes, in the order they run: paths (longest first), known values (longest first), then shapes.
export function buildPasses(values: readonly string[], pathPatterns: readonly PathPattern[]): Pass[] {
  return [
    ...pathPatterns.map(({ path, pattern, label }): Pass => ({
      kind: 'path',
      literals: [path],
      replacement: label,
      lookahead: true,
      matchesAt: (text, index) => !isWordDotDash(text.charCodeAt(index + path.length)),
      apply: (text) => ({ text: text.replace(pattern, label), count: 0 }),
    })),
    ...values.map((value): Pass => ({
      kind: 'secret',
      literals: [value],
      replacement: REDACTED,
      matchesAt: () => true,
      apply: (text) => {
        const parts = text.split(value);
        return { text: parts.join(REDACTED), count: parts.length - 1 };
      },
    })),
    ...SECRET_SHAPES.map(({ pattern, starts }): Pass => ({
      kind: 'secret',
      literals: starts,
      matchesAt: stickyTest(pattern),
      apply: (text) => {
        let count = 0;
        const out = text.replace(pattern, (match, prefix?: unknown) => {
          count += 1;
          return typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED;
        });
        return { text: out, count };
      },
    })),
  ];
}

// Every pass in order; one whose literal is absent cannot match, so skipping it changes nothing.
// `present` says, by pass, which literals a sweep found (when it is known to be complete).
export function runPasses(passes: readonly Pass[], text: string, present?: Uint8Array): Applied {
  let out = text;
  let count = 0;
  for (let index = 0; index < passes.length; index++) {
    const pass = passes[index]!;
    if (present ? present[index] === 1 : pass.literals.some((literal) => out.includes(literal))) {
      const applied = pass.apply(out);
      out = applied.text;
      count += applied.count;
    }
  }
  return { text: out, count };
}
