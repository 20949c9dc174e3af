// Shared by the misbehaving Case commands: each does its one wrong thing, then (where it makes
// sense) behaves like the fake Case so that only the misbehaviour can explain a non-pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_CASE = fileURLToPath(new URL('../../dist/src/lanes/fake-case/main.js', import.meta.url));

export function runFakeCase() {
  return import(FAKE_CASE);
}

// What Case would read: the lane's models.json points at the recording proxy.
export function laneModelEndpoint() {
  const models = JSON.parse(readFileSync(join(process.env.PI_CODING_AGENT_DIR, 'models.json'), 'utf8'));
  return { baseUrl: models.providers.openai.baseUrl, token: process.env.OPENAI_API_KEY };
}
