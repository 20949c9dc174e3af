// The redactor as it was before the fast path (one pass over the whole text per path, value and
// pattern), kept to check the fast path against (test/evidence/redact.test.ts) and to time it in
// the same run (bench/scan.mjs). It is given the product's REDACTED and SECRET_PATTERNS rather than
// importing them, so that the tests hand it src's and the bench, which runs without a TypeScript
// loader, the build's: either way it runs the very patterns of the redactor it is compared with.

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createReferenceRedactor({ REDACTED, SECRET_PATTERNS }, secretValues, paths = []) {
  const values = [...new Set(secretValues.filter((v) => v.length >= 6))].sort((a, b) => b.length - a.length);
  const pathPatterns = [...paths]
    .map((p) => ({ path: p.path.replace(/\/+$/, ''), label: p.label }))
    .filter((p) => p.path.length >= 4)
    .sort((a, b) => b.path.length - a.path.length)
    .map((p) => ({ pattern: new RegExp(`${escapeRegExp(p.path)}(?![\\w.-])`, 'g'), label: p.label }));
  let count = 0;
  const redactOnce = (text) => {
    let out = text;
    for (const { pattern, label } of pathPatterns) out = out.replace(pattern, label);
    for (const value of values) {
      const parts = out.split(value);
      count += parts.length - 1;
      out = parts.join(REDACTED);
    }
    for (const pattern of SECRET_PATTERNS) {
      out = out.replace(pattern, (match, prefix) => {
        count += 1;
        return typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED;
      });
    }
    return out;
  };
  return {
    // As the redactor does: again while its own scan still finds something, at most three rounds.
    redact(text) {
      let out = redactOnce(text);
      for (let round = 1; round < 3; round++) {
        const found = this.scan(out);
        if (!found.secret && !found.path) break;
        out = redactOnce(out);
      }
      return out;
    },
    get count() {
      return count;
    },
    scan(text) {
      const matches = (pattern) => {
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
