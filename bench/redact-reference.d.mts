import type { PathLabel, Redactor } from '../src/evidence/redact.js';

export function createReferenceRedactor(secretValues: readonly string[], paths?: readonly PathLabel[]): Redactor;
