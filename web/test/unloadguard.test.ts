import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api';
import { installUnloadGuard } from '../src/unloadguard';

/** A browser's beforeunload event: its returnValue is a writable string there. */
function beforeUnload(): Event {
  const event = new Event('beforeunload', { cancelable: true });
  Object.defineProperty(event, 'returnValue', { value: undefined, writable: true });
  return event;
}

describe('leaving the page while queries run', () => {
  it('asks first only while a query runs', () => {
    const window = new EventTarget();
    let running: string[] = [];
    installUnloadGuard(window, { runningQueryIds: () => running, cancel: vi.fn() });

    const idle = beforeUnload();
    window.dispatchEvent(idle);
    expect(idle.defaultPrevented).toBe(false);

    running = ['q1'];
    const busy = beforeUnload();
    window.dispatchEvent(busy);
    expect(busy.defaultPrevented).toBe(true);
    expect((busy as unknown as { returnValue: unknown }).returnValue).toBe('');
  });

  it('cancels every running query once the page is left, and stops when uninstalled', () => {
    const window = new EventTarget();
    const cancel = vi.fn();
    const uninstall = installUnloadGuard(window, { runningQueryIds: () => ['q1', 'q2', 'q1'], cancel });
    window.dispatchEvent(new Event('pagehide'));
    expect(cancel.mock.calls).toEqual([['q1'], ['q2']]);
    uninstall();
    window.dispatchEvent(new Event('pagehide'));
    expect(cancel).toHaveBeenCalledTimes(2);
  });

  it('sends the cancel as a request that outlives the page', async () => {
    const fetchFn = vi.fn(async () => new Response(JSON.stringify({
      success: true, data: { id: 'q1', state: 'CANCELLED' }, messageCode: 'QUERY_CANCELLED', message: '', timestamp: '',
    }), { status: 200 }));
    const api = new ApiClient(fetchFn as unknown as typeof fetch);
    await api.cancel('q1', { keepalive: true });
    expect(fetchFn).toHaveBeenCalledWith('/api/query/q1/cancel', expect.objectContaining({ method: 'POST', keepalive: true }));
    await api.cancel('q2');
    expect(fetchFn).toHaveBeenLastCalledWith('/api/query/q2/cancel', expect.objectContaining({ keepalive: false }));
  });
});
