import { portNumber } from './args.js';

// `--watch [PORT]`: the port is optional, which parseArgs cannot say (a string option needs its
// value), so the flag is taken out of the arguments before they are parsed. A number right after
// it is its port; anything else is left for the parser. 0 means a free port.
export function takeWatchFlag(args: readonly string[]): { rest: string[]; port: number | undefined } {
  const rest: string[] = [];
  let port: number | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg.startsWith('--watch=')) {
      port = portNumber(arg.slice('--watch='.length), '--watch');
    } else if (arg === '--watch') {
      const next = args[i + 1];
      if (next !== undefined && /^\d+$/.test(next)) {
        port = portNumber(next, '--watch');
        i += 1;
      } else {
        port = 0;
      }
    } else {
      rest.push(arg);
    }
  }
  return { rest, port };
}
