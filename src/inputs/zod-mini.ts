import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The inputs a run reads before its first gate are checked with zod/mini, about a quarter of
// classic zod to load (bench/RESULTS.md, gate latency). It ships without messages; these are the
// English ones classic zod uses, so a user reads the same "expected string, received undefined".
// The configuration is zod's, shared with the application that imports this library: a locale
// it chose is kept.
if (!z.config().localeError) z.config(en());

export { z };
