// A Case that does nothing wrong: the fake Case itself, started as the real lane's command.
import { runFakeCase } from './lib.mjs';

await runFakeCase();
