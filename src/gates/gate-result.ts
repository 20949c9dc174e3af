import type { BlockReason } from './reasons.js';

export type GateResult = { readonly ok: true } | { readonly ok: false; readonly reason: BlockReason; readonly detail: string };

export const PASS: GateResult = { ok: true };

export function block(reason: BlockReason, detail: string): GateResult {
  return { ok: false, reason, detail };
}
