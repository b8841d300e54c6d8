import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestKind } from './pacer.ts';

/** What the transport calls when one of the current send's requests leaves, and when its answer is in. */
export interface LeavingHook {
  leaving(kind: RequestKind): void;
  answered?(kind: RequestKind): void;
}

const current = new AsyncLocalStorage<LeavingHook>();

/** Runs one delivery; the transport's requests inside it report to `hook` as they leave. */
export function runDelivery<T>(hook: LeavingHook, deliver: () => Promise<T>): Promise<T> {
  return current.run(hook, deliver);
}

/**
 * Called by the transport at the moment a request is sent (for Lark: an HTTP client interceptor), so that the
 * pacer counts it from then, not from when it was queued. Outside a delivery it does nothing.
 */
export function requestLeaving(kind: RequestKind): void {
  current.getStore()?.leaving(kind);
}

/** Called by the transport when a request's answer (or its failure) is in. Outside a delivery it does nothing. */
export function requestAnswered(kind: RequestKind): void {
  current.getStore()?.answered?.(kind);
}
