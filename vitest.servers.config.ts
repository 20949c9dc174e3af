import { defineConfig } from 'vitest/config';

// `npm run test:servers`: the route against real local servers (test/servers/), kept out of
// `npm test` because it builds llama.cpp once (about 12 minutes on 2 cores) and runs real models.
export default defineConfig({
  test: {
    include: ['test/servers/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
