// Every value in a report can come from a user's file (a detail quoting a field, a model name),
// so nothing reaches a page without passing through here.
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// The policy of every page the route writes: nothing is loaded, nothing runs; inline style only.
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function yesNo(ok: boolean, yes: string, no: string): string {
  return `<span class="mark ${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'} ${esc(ok ? yes : no)}</span>`;
}
