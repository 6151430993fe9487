import { NanoGptNodeError } from './errors.js';

/** A timeout and an optional caller AbortSignal folded into one signal with a typed reason. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** When the deadline falls, as epoch milliseconds (Infinity without a timeout). */
  readonly endsAt: number;
  /** The typed error to reject with once `signal` has fired. */
  reason(): NanoGptNodeError;
  /** Rejects as soon as the deadline fires; never resolves. */
  readonly expired: Promise<never>;
  dispose(): void;
}

export function createDeadline(options: { timeoutMs?: number; signal?: AbortSignal; what: string }): Deadline {
  const controller = new AbortController();
  let reason: NanoGptNodeError | null = null;
  const fire = (error: NanoGptNodeError): void => {
    if (reason) return;
    reason = error;
    controller.abort(error);
  };

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
    const rejectNow = (): void => reject(reason ?? new NanoGptNodeError('aborted', 'Cancelled.'));
    if (controller.signal.aborted) rejectNow();
    else controller.signal.addEventListener('abort', rejectNow, { once: true });
  });
  // Nobody may be listening yet; avoid an unhandled rejection warning.
  expired.catch(() => undefined);

  return {
    signal: controller.signal,
    endsAt,
    reason: () => reason ?? new NanoGptNodeError('aborted', 'Cancelled.'),
    expired,
    dispose(): void {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** Resolves after `ms`, or rejects with the deadline's typed error when it fires first. */
export function sleep(ms: number, deadline: Deadline): Promise<void> {
  return new Promise((resolve, reject) => {
    if (deadline.signal.aborted) {
      reject(deadline.reason());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(deadline.reason());
    };
    const timer = setTimeout(() => {
      deadline.signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    deadline.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A fetch that is cancelled together with the deadline and reports it with the typed error. */
export function fetchWithDeadline(base: typeof fetch, deadline: Deadline): typeof fetch {
  return async (input, init) => {
    if (deadline.signal.aborted) throw deadline.reason();
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
    try {
      return await base(input, { ...init, signal });
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.reason();
      throw error;
    }
  };
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest}s`;
}
