// Optimal string alignment distance: Levenshtein, with a swap of two neighbouring letters
// ("valdiate") counted as one edit, the commonest slip at a keyboard.
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

// The known word the user most likely meant: the only one they typed the start of, or the
// nearest within two edits (one for words of three letters or fewer, where two would match
// almost anything). Undefined when nothing is close.
export function closest(typed: string, known: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  const prefixed = known.filter((candidate) => word.length >= 2 && candidate.startsWith(word));
  if (prefixed.length === 1) return prefixed[0];
  const limit = word.length <= 3 ? 1 : 2;
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(word, candidate);
    if (distance <= limit && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  return best?.word;
}

export function didYouMean(typed: string, known: readonly string[], show: (word: string) => string = (word) => word): string {
  const match = closest(typed, known);
  return match === undefined ? '' : `; did you mean ${show(match)}?`;
}
