// Floods its output past the harness's cap, then logs a spawn line naming a hosted model where a
// harness that kept only the head of the output would never see it.
const line = `${'x'.repeat(1023)}\n`;
const chunk = line.repeat(1024);
for (let i = 0; i < 40; i += 1) process.stdout.write(chunk);
process.stderr.write(`${JSON.stringify({ level: 'info', msg: 'spawning agent', agent: 'implementer', provider: 'anthropic', model: 'claude-sonnet-4-6' })}\n`);
