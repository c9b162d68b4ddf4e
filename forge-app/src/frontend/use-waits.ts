import { useCallback, useRef } from 'react';

/**
 * The waits a page has in progress, one per key (the list, or one decision): `start` aborts any
 * earlier wait under the key and returns the new one's signal; `stop` is what Cancel calls.
 * Forge's invoke cannot be aborted, so stopping only ends the page's wait (bridge.ts).
 */
export function useWaits() {
  const waits = useRef(new Map<string, AbortController>());
  const start = useCallback((key: string): AbortSignal => {
    waits.current.get(key)?.abort();
    const controller = new AbortController();
    waits.current.set(key, controller);
    return controller.signal;
  }, []);
  const stop = useCallback((key: string) => waits.current.get(key)?.abort(), []);
  return { start, stop };
}
