import { appendFileSync } from 'node:fs';

// Put on a lane's PATH as `gh`: a Stage 2 run on an artificial fixture must never be able to open
// a real pull request. `gh pr create` answers a local placeholder URL; anything else is refused.
// Only the subcommand is logged: titles and bodies are written by the model.
const [, , logFlag, logFile, , ...args] = process.argv;
if (logFlag !== '--log' || !logFile) {
  process.stderr.write('gh stand-in: started without its log file\n');
  process.exit(2);
}

const command = args.filter((arg) => !arg.startsWith('-')).slice(0, 2).join(' ');
const allowed = command === 'pr create';
appendFileSync(logFile, `${JSON.stringify({ time: new Date().toISOString(), command, allowed })}\n`);

if (allowed) {
  process.stdout.write('http://127.0.0.1/case-local-route/pull/1\n');
  process.exit(0);
}
process.stderr.write(`gh ${command}: refused; this lane has no GitHub access (case-local-route)\n`);
process.exit(1);
