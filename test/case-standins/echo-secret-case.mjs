// Case that prints a value it was given on its command line to stderr, then behaves: a stand-in
// for any tool that logs a credential it should not have logged.
import { runFakeCase } from './lib.mjs';

process.stderr.write(`debug: using key ${process.argv[2]}\n`);
process.argv.splice(2, 1);
await runFakeCase();
