import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { takeWatchFlag } from '../../src/cli/watch-flag.js';

describe('--watch [PORT]', () => {
  it('takes an optional port, and leaves every other argument to the parser', () => {
    expect(takeWatchFlag(['--watch', '--lane', 'real'])).toEqual({ rest: ['--lane', 'real'], port: 0 });
    expect(takeWatchFlag(['--watch', '8123', '--json'])).toEqual({ rest: ['--json'], port: 8123 });
    expect(takeWatchFlag(['--json', '--watch=9000'])).toEqual({ rest: ['--json'], port: 9000 });
    expect(takeWatchFlag(['--json'])).toEqual({ rest: ['--json'], port: undefined });
    // An option's value is not a flag.
    expect(takeWatchFlag(['--out', 'x', '--', '--watch'])).toEqual({ rest: ['--out', 'x', '--', '--watch'], port: undefined });
  });

  it('refuses a port that is not one', () => {
    expect(() => takeWatchFlag(['--watch=http'])).toThrow(UsageError);
    expect(() => takeWatchFlag(['--watch', '70000'])).toThrow('--watch takes a port number, not "70000"');
  });
});
