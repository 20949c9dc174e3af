import type { PathLabel, Redactor } from '../../src/evidence/redact.js';

export function createReferenceRedactor(
  shapes: { readonly REDACTED: string; readonly SECRET_PATTERNS: readonly RegExp[] },
  secretValues: readonly string[],
  paths?: readonly PathLabel[],
): Redactor;
