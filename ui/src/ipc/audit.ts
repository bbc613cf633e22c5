// TEST BUILDS ONLY (transport.ts leaves it out of the release bundle): every payload the UI
// received from core (command results, rejections and event payloads), in order, all of them.
// It holds nothing the UI does not already hold; the end-to-end suite reads it as
// `window.__LINKSCOPE_IPC_RECEIVED__` to prove that no secret ever crossed IPC, so nothing is
// ever dropped.

/** Installs the audit the end-to-end suite reads; returns the function that records a payload. */
export function startAudit(): (payload: unknown) => void {
  const received: string[] = [];
  (globalThis as { __LINKSCOPE_IPC_RECEIVED__?: string[] }).__LINKSCOPE_IPC_RECEIVED__ = received;
  return (payload) => {
    received.push(JSON.stringify(payload) ?? 'undefined');
  };
}
