// Text that may not be JSON at all (an answer, a file from elsewhere): its value, or undefined,
// which no JSON text parses to, for the caller to say why in its own terms.
export function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
