import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './suggest.js';

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>>;

// An option this command does not take, found before the strict parse so that its name comes
// from parseArgs' own tokens rather than from its error message, and can be matched to a near one.
function checkOptionNames(args: string[], options: Options): void {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  const known = Object.keys(options);
  for (const token of tokens) {
    if (token.kind !== 'option' || Object.hasOwn(options, token.name)) continue;
    throw new UsageError(`unknown option ${token.rawName}${didYouMean(token.name, known, (name) => `--${name}`)}`);
  }
}

export function parse<T extends Options>(args: string[], options: T, allowPositionals = false): Parsed<T> {
  checkOptionNames(args, options);
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function portNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`${flag} takes a port number, not "${value}"`);
  return port;
}

export function positiveSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`${flag} takes a positive number of seconds, not "${value}"`);
  return Math.round(seconds * 1000);
}
