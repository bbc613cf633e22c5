/**
 * A promise the test settles later, for "loading, then …" tests. It may answer several calls
 * (a mock returns it every time), so it is marked observed: a call React drops on a re-render
 * must not surface as an unhandled rejection. What the view shows is what tests assert.
 */
export function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (reason: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
