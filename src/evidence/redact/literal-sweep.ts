// Finding where a large text holds any of many literals, fast: one indexOf sweep per chosen
// character rather than one regex pass per pattern over the whole text.

// What a sweep looks for, by pass: each pass's literals, reported with the pass's index.
export interface Literals {
  readonly literals: readonly string[];
}

// Where a literal of a pass starts, as `sweep` reports it; true stops the sweep.
export type Found = (start: number, pass: number, slot: number) => boolean;

// One indexOf sweep: the literals that contain `trigger`, and where in each it is. `key` is the
// trigger and the characters after it that all of them share: indexOf compares those itself after
// its memchr for the trigger, which costs less than a return to JavaScript per trigger.
export interface Sweep {
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
function planSweeps(text: string, passes: readonly Literals[]): Sweep[] {
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
export function sweep(text: string, passes: readonly Literals[], found: Found, skip: (one: Sweep) => boolean = () => false): void {
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
