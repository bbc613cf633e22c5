// The link sessions this UI started (wizard, re-consent, extend). A link://failed event for any
// other session is a redirect nobody here was waiting for (a forged or stale callback) and is
// reported by the app-wide banner instead.
const started = new Set<string>();

export function rememberSession(sessionId: string): void {
  started.add(sessionId);
}

export function isOwnSession(sessionId: string): boolean {
  return started.has(sessionId);
}
