// A server command (`case-route provider`, with or without --replay) serves until the user stops
// it; it then closes its server itself, so the signal only ends the wait.
export function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
