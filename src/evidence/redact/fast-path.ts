import { sweep } from './literal-sweep.js';
import { isWordDotDash, runPasses, type Pass, type Redacted, type ScanResult } from './passes.js';

// Below this size the passes over the whole text are cheap and the fast path is not worth its set-up.
export const FAST_PATH_MIN_LENGTH = 64 * 1024;
// More than one literal per this many characters is dense; dense text goes through the passes in
// regions of this length (on generated logs the two ways cost the same at about one literal per
// 100 characters).
const DENSE_LITERALS = 100;
const DENSE_REGION_LENGTH = 1024 * 1024;

// `\s`, by code.
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code >= 128 && /\s/.test(String.fromCharCode(code)));
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

type Span = { start: number; end: number; replacement: string };

// The redactor's way with a large text (FAST_PATH_MIN_LENGTH and more): sweep it once for the
// literals every match starts with, and run the passes, or splice in what they would do, only
// around what the sweep found. Its output is the passes' output over the whole text.
export class FastPath {
  // Whether a line starting with this ASCII character may start a region.
  private readonly asciiStartsRegion: boolean[];
  private readonly firstChars: Set<number>;
  // Unless a replacement could form a literal, the only passes that can match in a region are
  // those with a literal there, and a literal is only where the sweep found it.
  private readonly foundIsComplete: boolean;
  private readonly bearerDecides: boolean;
  // The longest literal's length less one: how far a literal can reach across a change.
  private readonly margin: number;
  // Scratch for spliceLiterals: which passes have a literal in the region.
  private readonly inRegion: Uint8Array;

  // `literals`: every path and known value; `replacements`: every fixed replacement.
  constructor(
    private readonly passes: readonly Pass[],
    literals: readonly string[],
    replacements: readonly string[],
  ) {
    // A region is a run of lines that no pass can match across: nothing known spans a line
    // break, and only `Bearer\s+` crosses one, into a token. So a line may start a region when it
    // starts with a character outside the token's alphabet (`{`, `[`, `"`, ...) that no path or
    // value starts with (which could replace it); or, when no replacement can form a literal or
    // holds white space, when the white space before it does not follow `Bearer`.
    this.firstChars = new Set(literals.map((literal) => literal.charCodeAt(0)));
    this.asciiStartsRegion = Array.from({ length: 128 }, (_, code) => !/[\s\w.~+/=-]/.test(String.fromCharCode(code)) && !this.firstChars.has(code));
    this.foundIsComplete = !passes.some((pass) => pass.literals.some((literal) => replacements.some((r) => couldCreate(literal, r))));
    this.bearerDecides = this.foundIsComplete && !replacements.some((r) => /\s/.test(r));
    this.margin = Math.max(...passes.flatMap((pass) => pass.literals.map((literal) => literal.length))) - 1;
    this.inRegion = new Uint8Array(passes.length);
  }

  private startsRegion(text: string, index: number): boolean {
    if (index >= text.length) return false;
    const code = text.charCodeAt(index);
    if (code < 128 ? this.asciiStartsRegion[code]! : !/\s/.test(text[index]!) && !this.firstChars.has(code)) return true;
    if (!this.bearerDecides) return false;
    let space = index - 1;
    while (space > 0 && isSpace(text.charCodeAt(space - 1))) space--;
    return space < 6 || !text.startsWith('Bearer', space - 6);
  }

  // The first line start in (from, limit] where a region may start, or -1.
  private boundary(text: string, from: number, limit: number): number {
    for (let newline = text.indexOf('\n', from); newline !== -1 && newline < limit; newline = text.indexOf('\n', newline + 1)) {
      if (this.startsRegion(text, newline + 1)) return newline + 1;
    }
    return -1;
  }

  // Each literal found, as one number that sorts by where, then by pass; one list per slot, in
  // order, then merged.
  private findLiterals(text: string): number[] {
    const passes = this.passes;
    const found: number[][] = [];
    sweep(text, passes, (start, pass, slot) => {
      (found[slot] ??= []).push(start * passes.length + pass);
      return false;
    });
    let lists = found.filter((list) => list !== undefined);
    while (lists.length > 1) lists = lists.map((list, i) => (i % 2 ? [] : mergeSorted(list, lists[i + 1] ?? []))).filter((_, i) => i % 2 === 0);
    return lists[0] ?? [];
  }

  redact(text: string): Redacted {
    const codes = this.findLiterals(text);
    // Where literals are dense (paths on most lines), the passes themselves are cheaper than
    // taking the text apart around each one: they run over regions of about 1 MB instead.
    return codes.length * DENSE_LITERALS > text.length ? this.redactDense(text, codes) : this.redactSparse(text, codes);
  }

  private redactDense(text: string, codes: readonly number[]): Redacted {
    const passes = this.passes;
    const at = (k: number): number => Math.floor(codes[k]! / passes.length);
    const out = new Pieces(text);
    const present = new Uint8Array(passes.length);
    let count = 0;
    for (let from = 0, k = 0; from < text.length; ) {
      const to = this.boundary(text, Math.min(from + DENSE_REGION_LENGTH, text.length) - 1, text.length);
      const end = to === -1 ? text.length : to;
      present.fill(0);
      for (; k < codes.length && at(k) < end; k++) present[codes[k]! % passes.length] = 1;
      const region = runPasses(passes, text.slice(from, end), this.foundIsComplete ? present : undefined);
      out.replace(from, end, region.text, true);
      count += region.count;
      from = end;
    }
    const redacted = out.finish();
    return { text: redacted, count, scan: () => this.scan(redacted) };
  }

  private redactSparse(text: string, codes: readonly number[]): Redacted {
    const passes = this.passes;
    const at = (k: number): number => Math.floor(codes[k]! / passes.length);
    const out = new Pieces(text);
    let count = 0;
    let regionStart = 0;
    for (let first = 0; first < codes.length; ) {
      // The literals with no region start between them go together; the next group starts at
      // `next`, a region start.
      let last = first + 1;
      let next = -1;
      for (; last < codes.length; last++) {
        next = this.boundary(text, at(last - 1), at(last));
        if (next !== -1) break;
      }
      let literalsOnly = this.foundIsComplete;
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
        count += this.spliceLiterals(text, codes, first, last, out);
      } else {
        // The lines around the group go through the passes: from the last region start at or
        // before its first literal to the first one after its last.
        let from = regionStart;
        for (let newline = text.lastIndexOf('\n', at(first) - 1); newline >= regionStart && at(first) > 0; newline = newline > 0 ? text.lastIndexOf('\n', newline - 1) : -1) {
          if (this.startsRegion(text, newline + 1)) {
            from = newline + 1;
            break;
          }
        }
        const after = next !== -1 ? next : this.boundary(text, at(last - 1), text.length);
        const to = after !== -1 ? after : text.length;
        const present = this.foundIsComplete ? new Uint8Array(passes.length) : undefined;
        for (let k = first; present && k < last; k++) present[codes[k]! % passes.length] = 1;
        const region = runPasses(passes, text.slice(from, to), present);
        out.replace(from, to, region.text, true);
        count += region.count;
      }
      regionStart = next;
      first = last;
    }
    const redacted = out.finish();
    return { text: redacted, count, scan: () => this.scanChanged(redacted, codes, out) };
  }

  // The passes over a region where only paths and known values occur, without running them: each
  // pass in order takes, left to right, its occurrences that no earlier pass replaced (a path
  // only where the character after it, as the earlier passes left it, allows), as its regex or
  // split would. `replaced` holds what the earlier passes replaced, in order; each pass walks it
  // once beside its own occurrences, so a region costs time linear in its occurrences. Answers
  // how many secrets it replaced.
  private spliceLiterals(text: string, codes: readonly number[], first: number, last: number, out: Pieces): number {
    const passes = this.passes;
    const inRegion = this.inRegion;
    let count = 0;
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
    return count;
  }

  // One sweep for both kinds, so that a character shared by a path and a secret is swept once.
  scan(text: string): ScanResult {
    const passes = this.passes;
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
  }

  // The scan of the sparse fast path's output, reading only what changed. A literal in the output
  // either lies in text copied unchanged, where the sweep of the input found it (and the output
  // has it shifted by the changes before it), or overlaps a change. A fixed replacement is only
  // used when no literal can overlap one, so only the regions the passes ran over are read again,
  // with the literals' length less one on either side. Each place is checked on the output.
  private scanChanged(out: string, codes: readonly number[], { changes, reread }: Pieces): ScanResult {
    const passes = this.passes;
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
    const windows = this.rereadWindows(out.length, reread);
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
  }

  // Where a literal could overlap a change to read again: each such change with the longest
  // literal's length less one on either side, those that overlap merged, in order.
  private rereadWindows(length: number, reread: readonly number[]): Array<{ from: number; to: number }> {
    const windows: Array<{ from: number; to: number }> = [];
    for (let i = 0; i < reread.length; i += 2) {
      const from = Math.max(0, reread[i]! - this.margin);
      const to = Math.min(length, reread[i + 1]! + this.margin);
      const last = windows[windows.length - 1];
      if (last && last.to >= from) last.to = to;
      else windows.push({ from, to });
    }
    return windows;
  }
}
