#!/usr/bin/env node
import { UsageError } from './args.js';
import { EXIT } from './exit-codes.js';
import { HELP, VERSION, type HelpTopic } from './help.js';
import { sayError, setDebug } from './output.js';
import { didYouMean } from './suggest.js';

type Command = (args: string[]) => Promise<number>;

// Each command's module is loaded only when it runs, so --help, --version, graph and schema
// never load the run driver, execa or the inspector.
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => {
    const { runCommand } = await import('./commands/run.js');
    return (args) => runCommand(args, 'run');
  },
  validate: async () => {
    const { runCommand } = await import('./commands/run.js');
    return (args) => runCommand(args, 'validate');
  },
  graph: async () => (await import('./commands/graph.js')).graphCommand,
  schema: async () => (await import('./commands/schema.js')).schemaCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  runs: async () => (await import('./commands/runs.js')).runsCommand,
  provider: async () => (await import('./commands/provider.js')).providerCommand,
  fixture: async () => (await import('./commands/fixture.js')).fixtureCommand,
};

function isHelpTopic(name: string): name is HelpTopic {
  return Object.hasOwn(HELP, name);
}

function isCommand(name: string | undefined): name is Exclude<HelpTopic, 'main'> {
  return name !== undefined && Object.hasOwn(COMMANDS, name) && isHelpTopic(name);
}

function unknownCommand(name: string): UsageError {
  return new UsageError(`unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS), (word) => `"${word}"`)}`);
}

export async function main(argv: string[]): Promise<number> {
  setDebug(argv.includes('--debug'));
  const [command, ...args] = argv.filter((arg) => arg !== '--debug');
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.pass;
  }
  // Asked for, help is the answer and goes to stdout; without a command it is a usage error, so
  // it goes to stderr like every other one and a pipe reading stdout gets nothing.
  if (command === undefined) {
    process.stderr.write(HELP.main);
    return EXIT.usage;
  }
  if (command === '--help' || command === '-h') {
    process.stdout.write(HELP.main);
    return EXIT.pass;
  }
  try {
    if (command === 'help') {
      const [topic, ...extra] = args;
      if (topic === undefined) {
        process.stdout.write(HELP.main);
        return EXIT.pass;
      }
      if (!isCommand(topic)) throw unknownCommand(topic);
      if (extra.length > 0) throw new UsageError(`help takes one command, not "${args.join(' ')}"`);
      process.stdout.write(HELP[topic]);
      return EXIT.pass;
    }
    if (!isCommand(command)) throw unknownCommand(command);
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(HELP[command]);
      return EXIT.pass;
    }
    return await (await COMMANDS[command]!())(args);
  } catch (error) {
    if (error instanceof UsageError) {
      sayError(`${error.message} (see case-route ${isCommand(command) ? `${command} ` : ''}--help)`, error);
      return EXIT.usage;
    }
    sayError(`error: ${(error as Error).message}`, error);
    return EXIT.fail;
  }
}

process.exitCode = await main(process.argv.slice(2));
// The command is over. Anything still holding the event loop now (a browser left connected to
// the inspector) must not keep the process alive; unref'd, this timer never delays a clean exit.
setTimeout(() => process.exit(), 500).unref();
