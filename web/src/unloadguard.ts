/**
 * Leaving the page must not leave its queries running unseen until their time limit. While a
 * query this page follows is queued or running, closing or reloading the page first asks (the
 * browser's own "leave site?" prompt, on `beforeunload`); once the page is really left
 * (`pagehide`), each such query is cancelled by a request that outlives the page (`keepalive`).
 */

export interface UnloadGuardOptions {
  /** The queries this page follows that are queued or running now. */
  runningQueryIds(): string[];
  /** Sends the cancel of one query without waiting for its answer; must survive the page. */
  cancel(id: string): void;
}

/** Listens on `target` (the window); returns the function that stops listening. */
export function installUnloadGuard(target: EventTarget, options: UnloadGuardOptions): () => void {
  const beforeUnload = (event: Event) => {
    if (options.runningQueryIds().length === 0) return;
    event.preventDefault();
    // Some browsers show the prompt only when returnValue is set too.
    (event as BeforeUnloadEvent).returnValue = '';
  };
  const pageHide = () => {
    for (const id of new Set(options.runningQueryIds())) options.cancel(id);
  };
  target.addEventListener('beforeunload', beforeUnload);
  target.addEventListener('pagehide', pageHide);
  return () => {
    target.removeEventListener('beforeunload', beforeUnload);
    target.removeEventListener('pagehide', pageHide);
  };
}
