import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, SECRET_PATTERNS } from '../../src/evidence/redact.js';
import { SECRET_SHAPES } from '../../src/evidence/redact/secret-shapes.js';
import { createReferenceRedactor } from '../support/redact-reference.mjs';

const VALUES = ['CANARY-known-secret-value', 'hunter2hunter2'];
const PATHS = [
  { path: '/tmp/case-route-AbC123', label: '<workspace>' },
  { path: '/users/someone', label: '~' },
];

// Pieces a lane log is made of, secrets and paths among them, so the fast path meets every shape.
const FRAGMENTS = [
  'sk-ant-api03-AAAAAAAAAAAAAAAA', 'sk-proj-BBBBBBBBBBBBBBBBBBBB', 'hf_CCCCCCCCCCCCCCCCCCCC', 'ASIAABCDEFGHIJKLMNOP',
  'ghp_DDDDDDDDDDDDDDDDDDDDDDDD', 'github_pat_EEEEEEEEEEEEEEEEEEEEEE', 'Bearer abc.def-ghi', 'eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4',
  '?api_key=zzz', '&token=yyy', 'key=', '?', '&', ...VALUES, ...PATHS.map((p) => p.path), '/tmp/case-route-AbC123x', '/users/someone/.config',
  ' ', '\n', '"', "'", 'sk-', 'Bear', 'er ', 'ordinary words', '{"msg":"spawning agent"}',
];

const text = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), { maxLength: 400 })
  .chain((parts) => fc.integer({ min: 1, max: 400 }).map((repeat) => parts.join('').repeat(repeat > 1 && parts.length > 0 ? Math.ceil(70_000 / Math.max(1, parts.join('').length)) : 1)));

// The fast redactor against the one-pass-per-pattern reference: same text, same count, same scan.
function expectSameAsReference(values: string[], paths: Array<{ path: string; label: string }>, sample: string): void {
  const fast = createRedactor(values, paths);
  const reference = createReferenceRedactor({ REDACTED, SECRET_PATTERNS }, values, paths);
  const out = fast.redact(sample);
  expect(out).toBe(reference.redact(sample));
  expect(fast.count).toBe(reference.count);
  expect(fast.scan(out)).toEqual(reference.scan(out));
  expect(fast.scan(sample)).toEqual(reference.scan(sample));
}

// Every match of a shape that does not begin with one of the shape's declared starts: the fast
// path would never look there, so on a large text that match would be left in.
function matchesOutsideStarts(shape: { pattern: RegExp; starts: readonly string[] }, sample: string): string[] {
  return [...sample.matchAll(new RegExp(shape.pattern.source, shape.pattern.flags))].map((m) => m[0]).filter((match) => !shape.starts.some((start) => match.startsWith(start)));
}

// Text made of each shape's starts, look-alikes in other cases, and the characters the shapes' bodies use.
const SHAPE_PIECES = [
  ...SECRET_SHAPES.flatMap((shape) => shape.starts),
  ...SECRET_SHAPES.flatMap((shape) => shape.starts.flatMap((start) => [start.toLowerCase(), start.toUpperCase(), start.slice(0, -1), start.slice(1)])),
  'proj-', 'ant-', 'api03-', 'key=', 'api_key=', 'apikey=', 'token=', 'access_token=', 'KEY=', 'Token=', '[REDACTED]', 'eyJ', '.',
  'abcdefgh', 'ABCDEFGH', '01234567', '_-', '~+/=', ' ', '\t', '\n', '"', "'", '&', '?', '=',
];

describe('the secret shapes', () => {
  it('begin every match with one of their declared starts', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...SHAPE_PIECES), fc.string({ maxLength: 4 })), { maxLength: 60 }), (parts) => {
        const sample = parts.join('');
        for (const shape of SECRET_SHAPES) expect(matchesOutsideStarts(shape, sample)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('the check above finds a shape that matches where none of its starts is', () => {
    const careless = { pattern: /(?:x-)?sk-[A-Za-z0-9]{16,}/g, starts: ['sk-'] };
    expect(matchesOutsideStarts(careless, 'token x-sk-AAAAAAAAAAAAAAAAAAAA here')).toEqual(['x-sk-AAAAAAAAAAAAAAAAAAAA']);
  });
});

describe('redaction', () => {
  it('gives exactly what the one-pass-per-pattern reference gives, small texts and large (fast path) alike', () => {
    fc.assert(
      fc.property(text, (sample) => expectSameAsReference(VALUES, PATHS, sample)),
      { numRuns: 60 },
    );
  });

  // Known values and path labels drawn from characters that meet the redactor's own output
  // (`~`, `[`, `]`, `<`, `>`), line ends, and characters outside ASCII and the BMP: where a value
  // can overlap a replacement, the redactor takes its slower, complete path.
  it('gives what the reference gives for arbitrary known values and paths too', () => {
    const piece = fc.constantFrom('~', '[', ']', '<', '>', 'a', 'b', '/', '-', '\r', '\n', ' ', '\u00e9', '\u{1F600}', 'REDACTED', 'sk-', 'Bearer ');
    const value = fc.array(piece, { minLength: 3, maxLength: 8 }).map((parts) => parts.join('')).filter((v) => v.length >= 6);
    const path = fc.array(piece, { minLength: 2, maxLength: 6 }).map((parts) => `/${parts.join('')}`).filter((p) => p.length >= 4);
    const config = fc.record({
      values: fc.array(value, { maxLength: 3 }),
      paths: fc.array(fc.record({ path, label: fc.constantFrom('~', '<workspace>', '<cwd>') }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(config, fc.array(fc.oneof(piece, fc.constantFrom(...FRAGMENTS)), { maxLength: 300 }), fc.boolean(), ({ values, paths }, parts, large) => {
        const chunk = [...parts, ...values, ...paths.map((p) => p.path)].join('');
        expectSameAsReference(values, paths, large && chunk.length > 0 ? chunk.repeat(Math.ceil(70_000 / chunk.length)) : chunk);
      }),
      { numRuns: 80 },
    );
  });

  it('leaves nothing its own pre-finish scan would flag', () => {
    fc.assert(
      fc.property(text, (sample) => {
        const redactor = createRedactor(VALUES, PATHS);
        expect(redactor.scan(redactor.redact(sample))).toEqual({ secret: false, path: false });
      }),
      { numRuns: 60 },
    );
  });

  // The sweep reads a large text in blocks of 256 KiB: a literal cut by a block's edge, at every
  // offset, must still be found exactly as the reference finds it.
  it('finds literals that straddle the sweep blocks of a large text', () => {
    const edge = 256 * 1024;
    const filler = 'ab '.repeat(edge);
    for (const literal of FRAGMENTS.filter((fragment) => fragment.length > 3)) {
      for (let start = edge - literal.length; start <= edge + 1; start++) {
        expectSameAsReference(VALUES, PATHS, `${filler.slice(0, start - 1)}\n${literal}${filler.slice(0, 20_000)}`);
      }
    }
  });

  it('redacts a key in a query string once, and the result scans clean', () => {
    const redactor = createRedactor([]);
    const out = redactor.redact('GET /v1/models?api_key=abc123&x=1');
    expect(out).toBe(`GET /v1/models?api_key=${REDACTED}&x=1`);
    expect(redactor.scan(out).secret).toBe(false);
  });
});
