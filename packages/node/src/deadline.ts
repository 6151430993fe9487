import { setTimeout as delay } from 'node:timers/promises';
import { NanoGptNodeError, toNodeError } from './errors.js';

export interface DeadlineOptions {
  /** No timeout when left out (only the caller's signal ends the wait). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** What is waited for, as the messages say it: "Timed out after 5s waiting for <what>." */
  what: string;
  /** The fetch `deadline.fetch` wraps; default the global one. */
  fetch?: typeof fetch;
}

/** A timeout and an optional caller AbortSignal folded into one signal with a typed reason. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** When the deadline falls, as epoch milliseconds (Infinity without a timeout). */
  readonly endsAt: number;
  /** The typed error to reject with once `signal` has fired. */
  reason(): NanoGptNodeError;
  /** Rejects as soon as the deadline fires; never resolves. */
  readonly expired: Promise<never>;
  /** `work`, unless the deadline fires first: then its typed error. */
  within<T>(work: Promise<T>): Promise<T>;
  /**
   * The one error a failure under this deadline becomes: the deadline's own reason once it has
   * fired (whatever was thrown then, e.g. an AbortError of fetch), else `toNodeError(error)`.
   */
  fail(error: unknown): NanoGptNodeError;
  /** The options' fetch, cancelled together with the deadline and reporting it with the typed error. */
  readonly fetch: typeof fetch;
  dispose(): void;
}

export function createDeadline(options: DeadlineOptions): Deadline {
  const controller = new AbortController();
  let reason: NanoGptNodeError | null = null;
  const fire = (error: NanoGptNodeError): void => {
    if (reason) return;
    reason = error;
    controller.abort(error);
  };
  const currentReason = (): NanoGptNodeError => reason ?? new NanoGptNodeError('aborted', 'Cancelled.');

  const timeoutMs = options.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  let endsAt = Number.POSITIVE_INFINITY;
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
    endsAt = Date.now() + Math.max(0, timeoutMs);
    timer = setTimeout(
      () => fire(new NanoGptNodeError('timeout', `Timed out after ${formatDuration(timeoutMs)} waiting for ${options.what}.`)),
      Math.max(0, timeoutMs),
    );
  }

  const onAbort = (): void => fire(new NanoGptNodeError('aborted', `Cancelled while waiting for ${options.what}.`));
  const outer = options.signal;
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });

  const expired = new Promise<never>((_, reject) => {
    const rejectNow = (): void => reject(currentReason());
    if (controller.signal.aborted) rejectNow();
    else controller.signal.addEventListener('abort', rejectNow, { once: true });
  });
  // Nobody may be listening yet; avoid an unhandled rejection warning.
  expired.catch(() => undefined);

  const fail = (error: unknown): NanoGptNodeError => (controller.signal.aborted ? currentReason() : toNodeError(error));
  const base = options.fetch ?? globalThis.fetch;
  const guardedFetch: typeof fetch = async (input, init) => {
    if (controller.signal.aborted) throw currentReason();
    const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    try {
      return await base(input, { ...init, signal });
    } catch (error) {
      if (controller.signal.aborted) throw currentReason();
      throw error;
    }
  };

  return {
    signal: controller.signal,
    endsAt,
    reason: currentReason,
    expired,
    within: (work) => Promise.race([work, expired]),
    fail,
    fetch: guardedFetch,
    dispose(): void {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Runs `work` under a deadline made from `options` (the shape of auth0-spa-js's `runWithLock`):
 * the deadline's timer and listener are released when `work` settles, and whatever `work` throws
 * comes out as one typed NanoGptNodeError (`timeout` / `aborted` once the deadline fired).
 */
export async function withDeadline<T>(options: DeadlineOptions, work: (deadline: Deadline) => Promise<T>): Promise<T> {
  const deadline = createDeadline(options);
  try {
    return await work(deadline);
  } catch (error) {
    throw deadline.fail(error);
  } finally {
    deadline.dispose();
  }
}

/** How a wait between two attempts is made; `signal` fires when the wait is pointless. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A timer that is cleared when `signal` fires. */
export const timerSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** Resolves after `ms` (waited by `wait`), or rejects with the deadline's typed error when it fires first. */
export function sleepWithin(ms: number, deadline: Deadline, wait: Sleep = timerSleep): Promise<void> {
  if (deadline.signal.aborted) return Promise.reject(deadline.reason());
  const waited = wait(ms, deadline.signal);
  // Once the deadline has fired, a timer's AbortError is news to nobody.
  waited.catch(() => undefined);
  return deadline.within(waited);
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest}s`;
}
