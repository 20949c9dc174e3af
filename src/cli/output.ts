// Progress and verdicts for people go to stderr; stdout carries only data (reports, diagrams,
// schemas), so it can be piped.
const STYLES = { green: 32, red: 31, yellow: 33, magenta: 35 } as const;
type Style = keyof typeof STYLES;

// https://no-color.org: a non-empty NO_COLOR turns colour off, whatever else is set.
export function colourEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function paint(stream: NodeJS.WriteStream, style: Style, text: string): string {
  return colourEnabled(stream) ? `\u001b[${STYLES[style]}m${text}\u001b[39m` : text;
}

const WORD_STYLE: Record<string, Style> = { pass: 'green', ready: 'green', intact: 'green', fail: 'red', 'not intact': 'red', blocked: 'yellow', aborted: 'magenta' };

// The outcome word that starts a verdict line, coloured when colour is on.
export function verdictWord(stream: NodeJS.WriteStream, word: string): string {
  const style = WORD_STYLE[word];
  return style ? paint(stream, style, word) : word;
}

// Text that may come from a run directory or a lane (a directory's name, a report's strings, an
// error quoting them) reaches the terminal only without control characters, which could
// otherwise drive it (set its title, its clipboard).
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export function say(line: string): void {
  process.stderr.write(`case-route: ${line}\n`);
}

let debugging = false;

// --debug, for the whole command.
export function setDebug(on: boolean): void {
  debugging = on;
}

function stackOf(error: Error): string {
  const cause = error.cause instanceof Error ? `\ncaused by: ${stackOf(error.cause)}` : '';
  return `${error.stack ?? String(error)}${cause}`;
}

// A handled error is one line for the user; with --debug the stack where it arose follows it,
// whatever kind of error it was, so that a bug report has it.
export function sayError(line: string, error: unknown): void {
  say(printable(line));
  if (debugging && error instanceof Error) process.stderr.write(`${stackOf(error)}\n`);
}

export function printData(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
