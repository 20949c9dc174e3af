#!/usr/bin/env node
import { UsageError } from './args.js';
import { EXIT } from './exit-codes.js';
import { HELP, VERSION, type HelpTopic } from './help.js';
import { say } from './output.js';

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
  provider: async () => (await import('./commands/provider.js')).providerCommand,
};

function isHelpTopic(name: string): name is HelpTopic {
  return Object.hasOwn(HELP, name);
}

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const [command, ...args] = argv.filter((arg) => arg !== '--debug');
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.pass;
  }
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(HELP.main);
    return command === undefined ? EXIT.usage : EXIT.pass;
  }
  if (command === 'help') {
    const topic = args[0] ?? 'main';
    process.stdout.write(isHelpTopic(topic) && topic !== 'main' ? HELP[topic] : HELP.main);
    return EXIT.pass;
  }
  try {
    const load = COMMANDS[command];
    if (!load || !isHelpTopic(command)) throw new UsageError(`unknown command "${command}"`);
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(HELP[command]);
      return EXIT.pass;
    }
    return await (await load())(args);
  } catch (error) {
    if (error instanceof UsageError) {
      say(`${error.message} (see case-route ${command && isHelpTopic(command) ? `${command} ` : ''}--help)`);
      return EXIT.usage;
    }
    say(debug ? String((error as Error).stack ?? error) : `error: ${(error as Error).message}`);
    return EXIT.fail;
  }
}

process.exitCode = await main(process.argv.slice(2));
// The command is over. Anything still holding the event loop now (a browser left connected to
// the inspector) must not keep the process alive; unref'd, this timer never delays a clean exit.
setTimeout(() => process.exit(), 500).unref();
