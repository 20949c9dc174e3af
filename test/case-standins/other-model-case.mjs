// Case that asks its model endpoint for a model it was not given.
import { laneModelEndpoint, runFakeCase } from './lib.mjs';

const { baseUrl, token } = laneModelEndpoint();
const res = await fetch(`${baseUrl}/chat/completions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ model: 'claude-sonnet-4-6', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
});
process.stderr.write(`other-model request answered ${res.status}\n`);
await runFakeCase();
