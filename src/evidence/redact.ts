// Secrets are removed from every artifact by value (exact strings the harness knows) and by shape
// (credential formats it does not know the value of).
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;
const MIN_SECRET_LENGTH = 6;

// Each shape with the literals one of its matches always starts with: the fast path below looks
// for the literals and runs the shape only where one occurs.
const SECRET_SHAPES: ReadonlyArray<{ readonly pattern: RegExp; readonly starts: readonly string[] }> = [
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
const MAX_REDACTION_ROUNDS = 3;

const flags = (found: ScanResult) => found.secret || found.path;

// One round of redaction, and the scan of its output.
interface Redacted {
  readonly text: string;
  scan(): ScanResult;
}

// Below this size the passes over the whole text are cheap and the fast path is not worth its set-up.
const FAST_PATH_MIN_LENGTH = 64 * 1024;
// More than one literal per this many characters is dense; dense text goes through the passes in
// regions of this length (on generated logs the two ways cost the same at about one literal per
// 100 characters).
const DENSE_LITERALS = 100;
const DENSE_REGION_LENGTH = 1024 * 1024;

// One pass of the redactor. Every match of a pass starts with one of its literals. A path or a
// known value is a single literal with a fixed replacement; a path must not be followed by a word
// character, dot or dash.
interface Pass {
  readonly kind: 'path' | 'secret';
  readonly literals: readonly string[];
  readonly replacement?: string;
  readonly lookahead?: boolean;
  // Whether a match starts at `index`, where one of the literals is.
  matchesAt(text: string, index: number): boolean;
  apply(text: string): string;
}

// `\s`, by code.
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code >= 128 && /\s/.test(String.fromCharCode(code)));
}

// `[\w.-]`, by code; NaN (past the end) is not one.
function isWordDotDash(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46 || code === 45;
}

function stickyTest(pattern: RegExp): (text: string, index: number) => boolean {
  const sticky = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}y`);
  return (text, index) => {
    sticky.lastIndex = index;
    return sticky.test(text);
  };
}

// Where a literal of a pass starts, as `sweep` reports it; true stops the sweep.
type Found = (start: number, pass: number, slot: number) => boolean;

// One indexOf sweep: the literals that contain `trigger`, and where in each it is. `key` is the
// trigger and the characters after it that all of them share: indexOf compares those itself after
// its memchr for the trigger, which costs less than a return to JavaScript per trigger.
interface Sweep {
  readonly trigger: string;
  readonly key: string;
  // By the low bytes of the characters before and after a hit, which literals have those around
  // their trigger: a bit for each of the first 31, and bit 31 for the rest. Most hits end here,
  // without a string compare, and most of the others compare one literal.
  readonly around: Uint32Array;
  readonly entries: ReadonlyArray<{ readonly offset: number; readonly literal: string; readonly pass: number; readonly slot: number }>;
}

const aroundIndex = (before: number, after: number) => ((before & 0xff) << 8) | (after & 0xff);

const entryBit = (entry: number) => 1 << Math.min(entry, 31);

function aroundTable(entries: Sweep['entries']): Uint32Array {
  // A one-character literal fits every hit: its bits are filled in at once, not in a loop over
  // all 65536 pairs of characters, which cost more than a sweep of a few MB.
  const everywhere = entries.reduce((bits, { literal }, entry) => (literal.length === 1 ? bits | entryBit(entry) : bits), 0);
  const around = new Uint32Array(65536).fill(everywhere);
  const any = Array.from({ length: 256 }, (_, code) => code);
  entries.forEach(({ offset, literal }, entry) => {
    if (literal.length === 1) return;
    const befores = offset > 0 ? [literal.charCodeAt(offset - 1)] : any;
    const afters = offset + 1 < literal.length ? [literal.charCodeAt(offset + 1)] : any;
    for (const before of befores) for (const after of afters) around[aroundIndex(before, after)]! |= entryBit(entry);
  });
  return around;
}

// Up to this length V8 searches a one-byte string with memchr for the first character and then
// compares the rest; a longer one may switch to Boyer-Moore-Horspool, slower here.
const MAX_KEY_LENGTH = 6;

function commonKey(entries: Sweep['entries']): string {
  const [first, ...rest] = entries.map(({ offset, literal }) => literal.slice(offset, offset + MAX_KEY_LENGTH));
  let length = 1;
  while (length < first!.length && rest.every((tail) => tail[length] === first![length])) length++;
  return first!.slice(0, length);
}

// Enough characters to rank them by frequency; on a large text each is a cache miss.
const SAMPLE_LENGTH = 16384;

// Literals are looked for by a character they contain, with indexOf, which is a memchr on a
// one-byte string: one fast sweep per character instead of one regex pass per pattern over the
// whole text. A sweep costs about as much as 0.2% of the text in hits, and each hit about the
// same; the characters are chosen greedily by that cost, per literal covered, from their
// frequency in a sample of the text, and swept rarest first.
function planSweeps(text: string, passes: readonly Pass[]): Sweep[] {
  const samples = new Uint32Array(65536);
  const step = Math.max(1, Math.floor(text.length / SAMPLE_LENGTH));
  for (let i = 0; i < text.length; i += step) samples[text.charCodeAt(i)]! += 1;
  const sampled = Math.ceil(text.length / step);
  const cost = (ch: string) => 0.002 * sampled + samples[ch.charCodeAt(0)]!;
  // A slot per literal of each pass: the starts reported for one slot come in order.
  let uncovered = passes.flatMap(({ literals }, pass) => literals.map((literal) => ({ literal, pass }))).map((entry, slot) => ({ ...entry, slot }));
  const sweeps: Sweep[] = [];
  while (uncovered.length > 0) {
    let best = '';
    let bestCost = Infinity;
    for (const ch of new Set(uncovered.flatMap(({ literal }) => literal.split('')))) {
      const perLiteral = cost(ch) / uncovered.filter(({ literal }) => literal.includes(ch)).length;
      if (perLiteral < bestCost) [best, bestCost] = [ch, perLiteral];
    }
    const entries = uncovered.filter(({ literal }) => literal.includes(best)).map(({ literal, pass, slot }) => ({ offset: literal.indexOf(best), literal, pass, slot }));
    sweeps.push({ trigger: best, key: commonKey(entries), around: aroundTable(entries), entries });
    uncovered = uncovered.filter(({ literal }) => !literal.includes(best));
  }
  return sweeps.sort((a, b) => cost(a.trigger) - cost(b.trigger));
}

// The sweeps go over the text a block at a time, all of them over one block before the next, so
// that all but the first read it from the CPU's cache rather than from memory: the sweeps for rare
// characters, which cost little more than the reading, take a third of the time. A block reaches
// past its end by the longest literal less one, so that a literal starting in it is whole in it.
const SWEEP_BLOCK_LENGTH = 256 * 1024;

// Reports where in `text` a literal of a pass starts until `found` says stop, in order for each
// slot (one literal of one pass). `skip` leaves a sweep out; it is asked again for each block.
function sweep(text: string, passes: readonly Pass[], found: Found, skip: (one: Sweep) => boolean = () => false): void {
  const sweeps = planSweeps(text, passes);
  const reach = Math.max(...sweeps.flatMap(({ entries }) => entries.map(({ literal }) => literal.length))) - 1;
  for (let from = 0; from < text.length; from += SWEEP_BLOCK_LENGTH) {
    const end = Math.min(text.length - from, SWEEP_BLOCK_LENGTH);
    const block = text.slice(from, from + end + reach);
    const inBlock: Found = (start, pass, slot) => start < end && found(from + start, pass, slot);
    for (const one of sweeps) if (!skip(one) && runSweep(block, one, inBlock)) return;
  }
}

function runSweep(text: string, { key, around, entries }: Sweep, found: Found): boolean {
  for (let i = text.indexOf(key); i !== -1; i = text.indexOf(key, i + 1)) {
    const bits = around[aroundIndex(text.charCodeAt(i - 1), text.charCodeAt(i + 1))]!;
    if (bits === 0) continue;
    for (let entry = 0; entry < entries.length; entry++) {
      if ((bits & entryBit(entry)) === 0) continue;
      const { offset, literal, pass, slot } = entries[entry]!;
      const start = i - offset;
      if (start >= 0 && text.startsWith(literal, start) && found(start, pass, slot)) return true;
    }
  }
  return false;
}

// The fast path's output: slices of the input (which V8 does not copy) and replacements, in one
// array joined once at the end, so every character is copied once. Joining in chunks of a few
// thousand pieces copied it twice (three times as long); a tree of concatenations, flattened when
// first read, kept twice as many young objects alive for the scavenger (redact 5-10% slower at
// 100 MB, measured side by side).
class Pieces {
  // Where in the input the next slice starts.
  private copied = 0;
  private readonly parts: string[] = [];
  // The output's length so far.
  private length = 0;
  // Where the output differs from the input, in order: for each change, where it starts and ends
  // in the input and how much longer it is in the output, three numbers in a row (an object per
  // change would be one more young object per replacement for the scavenger to copy).
  readonly changes: number[] = [];
  // Where in the output each change that a literal could overlap starts and ends.
  readonly reread: number[] = [];

  constructor(private readonly text: string) {}

  // The input up to `start`, then `replacement` in place of the input up to `end`.
  replace(start: number, end: number, replacement: string, reread: boolean): void {
    this.parts.push(this.text.slice(this.copied, start), replacement);
    this.length += start - this.copied;
    this.changes.push(start, end, replacement.length - (end - start));
    if (reread) this.reread.push(this.length, this.length + replacement.length);
    this.length += replacement.length;
    this.copied = end;
  }

  finish(): string {
    this.parts.push(this.text.slice(this.copied));
    return this.parts.join('');
  }
}

// Two lists of numbers, each in order, as one list in order.
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const merged: number[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) merged[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) merged[k++] = a[i++]!;
  while (j < b.length) merged[k++] = b[j++]!;
  return merged;
}

// Two lists of disjoint spans, each in order, as one list in order.
function mergeSpans<T extends { start: number }>(a: T[], b: T[]): T[] {
  if (a.length === 0 || b.length === 0) return a.length === 0 ? b : a;
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) merged.push(j >= b.length || (i < a.length && a[i]!.start < b[j]!.start) ? a[i++]! : b[j++]!);
  return merged;
}

// Whether inserting `replacement` could make `literal` appear where it was not: some overlap of
// the two agrees on every shared character. An empty replacement joins its neighbours, so it can.
function couldCreate(literal: string, replacement: string): boolean {
  if (replacement === '') return true;
  for (let shift = 1 - literal.length; shift < replacement.length; shift++) {
    let agrees = true;
    for (let i = Math.max(0, -shift); agrees && i < literal.length && shift + i < replacement.length; i++) {
      agrees = literal[i] === replacement[shift + i];
    }
    if (agrees) return true;
  }
  return false;
}

export function createRedactor(secretValues: readonly string[], paths: readonly PathLabel[] = []): Redactor {
  // Longest first, so a secret that contains another is removed whole.
  const values = [...new Set(secretValues.filter((v) => v.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  const pathPatterns = [...paths]
    .map((p) => ({ path: p.path.replace(/\/+$/, ''), label: p.label }))
    .filter((p) => p.path.length >= MIN_PATH_LENGTH)
    .sort((a, b) => b.path.length - a.path.length)
    .map((p) => ({ path: p.path, pattern: new RegExp(`${escapeRegExp(p.path)}(?![\\w.-])`, 'g'), label: p.label }));
  let count = 0;
  // The passes, in the order they run: paths (longest first), known values, then shapes.
  const passes: Pass[] = [
    ...pathPatterns.map(({ path, pattern, label }): Pass => ({
      kind: 'path',
      literals: [path],
      replacement: label,
      lookahead: true,
      matchesAt: (text, index) => !isWordDotDash(text.charCodeAt(index + path.length)),
      apply: (text) => text.replace(pattern, label),
    })),
    ...values.map((value): Pass => ({
      kind: 'secret',
      literals: [value],
      replacement: REDACTED,
      matchesAt: () => true,
      apply: (text) => {
        const parts = text.split(value);
        count += parts.length - 1;
        return parts.join(REDACTED);
      },
    })),
    ...SECRET_SHAPES.map(({ pattern, starts }): Pass => ({
      kind: 'secret',
      literals: starts,
      matchesAt: stickyTest(pattern),
      apply: (text) =>
        text.replace(pattern, (match, prefix?: unknown) => {
          count += 1;
          return typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED;
        }),
    })),
  ];
  // Every pass in order; one whose literal is absent cannot match, so skipping it changes nothing.
  const runPasses = (text: string, present?: Uint8Array): string => {
    let out = text;
    for (let index = 0; index < passes.length; index++) {
      const pass = passes[index]!;
      if (present ? present[index] === 1 : pass.literals.some((literal) => out.includes(literal))) out = pass.apply(out);
    }
    return out;
  };

  // The fast path redacts a large text region by region. A region is a run of lines that no pass
  // can match across: nothing known spans a line break, and only `Bearer\s+` crosses one, into a
  // token. So a line may start a region when it starts with a character outside the token's
  // alphabet (`{`, `[`, `"`, ...) that no path or value starts with (which could replace it); or,
  // when no replacement can form a literal or holds white space, when the white space before it
  // does not follow `Bearer`.
  const literals = [...values, ...pathPatterns.map((p) => p.path)];
  const splittable = !literals.some((literal) => /\s/.test(literal));
  const firstChars = new Set(literals.map((literal) => literal.charCodeAt(0)));
  const asciiStartsRegion = Array.from({ length: 128 }, (_, code) => !/[\s\w.~+/=-]/.test(String.fromCharCode(code)) && !firstChars.has(code));
  // Unless a replacement could form a literal, the only passes that can match in a region are
  // those with a literal there, and a literal is only where the sweep found it.
  const replacements = [REDACTED, ...pathPatterns.map((p) => p.label)];
  const foundIsComplete = !passes.some((pass) => pass.literals.some((literal) => replacements.some((r) => couldCreate(literal, r))));
  const bearerDecides = foundIsComplete && !replacements.some((r) => /\s/.test(r));
  const startsRegion = (text: string, index: number): boolean => {
    if (index >= text.length) return false;
    const code = text.charCodeAt(index);
    if (code < 128 ? asciiStartsRegion[code]! : !/\s/.test(text[index]!) && !firstChars.has(code)) return true;
    if (!bearerDecides) return false;
    let space = index - 1;
    while (space > 0 && isSpace(text.charCodeAt(space - 1))) space--;
    return space < 6 || !text.startsWith('Bearer', space - 6);
  };

  // The passes over a region where only paths and known values occur, without running them: each
  // pass in order takes, left to right, its occurrences that no earlier pass replaced (a path
  // only where the character after it, as the earlier passes left it, allows), as its regex or
  // split would. `replaced` holds what the earlier passes replaced, in order; each pass walks it
  // once beside its own occurrences, so a region costs time linear in its occurrences.
  type Span = { start: number; end: number; replacement: string };
  const inRegion = new Uint8Array(passes.length);
  const spliceLiterals = (text: string, codes: readonly number[], first: number, last: number, out: Pieces): void => {
    let replaced: Span[] = [];
    let lowest = passes.length;
    let highest = -1;
    for (let k = first; k < last; k++) {
      const index = codes[k]! % passes.length;
      inRegion[index] = 1;
      lowest = Math.min(lowest, index);
      highest = Math.max(highest, index);
    }
    for (let index = lowest; index <= highest; index++) {
      if (inRegion[index] === 0) continue;
      inRegion[index] = 0;
      const pass = passes[index]!;
      const length = pass.literals[0]!.length;
      const taken: Span[] = [];
      let end = -1;
      let j = 0;
      for (let k = first; k < last; k++) {
        if (codes[k]! % passes.length !== index) continue;
        const start = (codes[k]! - index) / passes.length;
        if (start < end) continue;
        // The first earlier replacement that ends after this occurrence starts: it overlaps the
        // occurrence, or is the nearest one after it.
        while (j < replaced.length && replaced[j]!.end <= start) j++;
        const next = replaced[j];
        if (next && next.start < start + length) continue;
        if (pass.lookahead && isWordDotDash(next?.start === start + length ? next.replacement.charCodeAt(0) : text.charCodeAt(start + length))) continue;
        end = start + length;
        taken.push({ start, end, replacement: pass.replacement! });
        if (pass.kind === 'secret') count += 1;
      }
      replaced = mergeSpans(replaced, taken);
    }
    for (const span of replaced) out.replace(span.start, span.end, span.replacement, false);
  };

  const redactLarge = (text: string): Redacted => {
    // Each literal found, as one number that sorts by where, then by pass; one list per slot, in
    // order, then merged.
    const found: number[][] = [];
    sweep(text, passes, (start, pass, slot) => {
      (found[slot] ??= []).push(start * passes.length + pass);
      return false;
    });
    let lists = found.filter((list) => list !== undefined);
    while (lists.length > 1) lists = lists.map((list, i) => (i % 2 ? [] : mergeSorted(list, lists[i + 1] ?? []))).filter((_, i) => i % 2 === 0);
    const codes = lists[0] ?? [];
    const at = (k: number): number => Math.floor(codes[k]! / passes.length);
    // The first line start in (from, limit] where a region may start, or -1.
    const boundary = (from: number, limit: number): number => {
      for (let newline = text.indexOf('\n', from); newline !== -1 && newline < limit; newline = text.indexOf('\n', newline + 1)) {
        if (startsRegion(text, newline + 1)) return newline + 1;
      }
      return -1;
    };
    const out = new Pieces(text);
    // Where literals are dense (paths on most lines), the passes themselves are cheaper than
    // taking the text apart around each one: they run over regions of about 1 MB instead.
    if (codes.length * DENSE_LITERALS > text.length) {
      const present = new Uint8Array(passes.length);
      for (let from = 0, k = 0; from < text.length; ) {
        const to = boundary(Math.min(from + DENSE_REGION_LENGTH, text.length) - 1, text.length);
        const end = to === -1 ? text.length : to;
        present.fill(0);
        for (; k < codes.length && at(k) < end; k++) present[codes[k]! % passes.length] = 1;
        out.replace(from, end, runPasses(text.slice(from, end), foundIsComplete ? present : undefined), true);
        from = end;
      }
      const redacted = out.finish();
      return { text: redacted, scan: () => scanLarge(redacted) };
    }
    let regionStart = 0;
    for (let first = 0; first < codes.length; ) {
      // The literals with no region start between them go together; the next group starts at
      // `next`, a region start.
      let last = first + 1;
      let next = -1;
      for (; last < codes.length; last++) {
        next = boundary(at(last - 1), at(last));
        if (next !== -1) break;
      }
      let literalsOnly = foundIsComplete;
      for (let k = first; literalsOnly && k < last; k++) literalsOnly = passes[codes[k]! % passes.length]!.replacement !== undefined;
      if (literalsOnly && last === first + 1) {
        // One path or value alone: replaced where it matches.
        const pass = passes[codes[first]! % passes.length]!;
        const start = at(first);
        if (pass.matchesAt(text, start)) {
          out.replace(start, start + pass.literals[0]!.length, pass.replacement!, false);
          if (pass.kind === 'secret') count += 1;
        }
      } else if (literalsOnly) {
        spliceLiterals(text, codes, first, last, out);
      } else {
        // The lines around the group go through the passes: from the last region start at or
        // before its first literal to the first one after its last.
        let from = regionStart;
        for (let newline = text.lastIndexOf('\n', at(first) - 1); newline >= regionStart && at(first) > 0; newline = newline > 0 ? text.lastIndexOf('\n', newline - 1) : -1) {
          if (startsRegion(text, newline + 1)) {
            from = newline + 1;
            break;
          }
        }
        const after = next !== -1 ? next : boundary(at(last - 1), text.length);
        const to = after !== -1 ? after : text.length;
        const present = foundIsComplete ? new Uint8Array(passes.length) : undefined;
        for (let k = first; present && k < last; k++) present[codes[k]! % passes.length] = 1;
        out.replace(from, to, runPasses(text.slice(from, to), present), true);
      }
      regionStart = next;
      first = last;
    }
    const redacted = out.finish();
    return { text: redacted, scan: () => scanChanged(redacted, codes, out) };
  };

  // One sweep for both kinds, so that a character shared by a path and a secret is swept once.
  const scanLarge = (text: string): ScanResult => {
    const found = { secret: false, path: false };
    sweep(
      text,
      passes,
      (start, index) => {
        const pass = passes[index]!;
        if (!found[pass.kind] && pass.matchesAt(text, start)) found[pass.kind] = true;
        return found.secret && found.path;
      },
      (one) => one.entries.every(({ pass }) => found[passes[pass]!.kind]),
    );
    return found;
  };

  // The scan of the sparse fast path's output, reading only what changed. A literal in the output
  // either lies in text copied unchanged, where the sweep of the input found it (and the output
  // has it shifted by the changes before it), or overlaps a change. A fixed replacement is only
  // used when no literal can overlap one, so only the regions the passes ran over are read again,
  // with the literals' length less one on either side. Each place is checked on the output.
  const scanChanged = (out: string, codes: readonly number[], { changes, reread }: Pieces): ScanResult => {
    const found = { secret: false, path: false };
    const check = (start: number, index: number): boolean => {
      const pass = passes[index]!;
      if (!found[pass.kind] && pass.literals.some((literal) => out.startsWith(literal, start)) && pass.matchesAt(out, start)) found[pass.kind] = true;
      return found.secret && found.path;
    };
    let shift = 0;
    for (let k = 0, j = 0; k < codes.length; k++) {
      const start = Math.floor(codes[k]! / passes.length);
      for (; j < changes.length && changes[j + 1]! <= start; j += 3) shift += changes[j + 2]!;
      if (j < changes.length && changes[j]! <= start) continue;
      if (check(start + shift, codes[k]! % passes.length)) return found;
    }
    const windows = rereadWindows(out.length, reread);
    // The windows, one after another: no literal holds a line break, so none is found across two.
    const starts: number[] = [];
    let length = 0;
    const joined = windows.map(({ from, to }) => {
      starts.push(length);
      length += to - from + 1;
      return out.slice(from, to);
    });
    sweep(joined.join('\n'), passes, (start, index) => {
      let w = 0;
      for (let step = 1 << 30; step > 0; step >>= 1) if (w + step < starts.length && starts[w + step]! <= start) w += step;
      return check(windows[w]!.from + start - starts[w]!, index);
    });
    return found;
  };

  // Where a literal could overlap a change to read again: each such change with the longest
  // literal's length less one on either side, those that overlap merged, in order.
  const margin = Math.max(...passes.flatMap((pass) => pass.literals.map((literal) => literal.length))) - 1;
  const rereadWindows = (length: number, reread: readonly number[]): Array<{ from: number; to: number }> => {
    const windows: Array<{ from: number; to: number }> = [];
    for (let i = 0; i < reread.length; i += 2) {
      const from = Math.max(0, reread[i]! - margin);
      const to = Math.min(length, reread[i + 1]! + margin);
      const last = windows[windows.length - 1];
      if (last && last.to >= from) last.to = to;
      else windows.push({ from, to });
    }
    return windows;
  };

  const scan = (text: string): ScanResult => {
    if (text.length >= FAST_PATH_MIN_LENGTH) return scanLarge(text);
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
    if (splittable && text.length >= FAST_PATH_MIN_LENGTH) return redactLarge(text);
    const out = runPasses(text);
    return { text: out, scan: () => scan(out) };
  };
  return {
    // A replacement can complete a match that was not there before (a path directly followed by a
    // secret reads as the bare path once the secret is gone), so the text is redacted again while
    // the scan still finds something, a bounded number of times.
    redact(text) {
      let once = redactOnce(text);
      for (let round = 1; round < MAX_REDACTION_ROUNDS && flags(once.scan()); round++) once = redactOnce(once.text);
      return once.text;
    },
    get count() {
      return count;
    },
    scan,
  };
}
