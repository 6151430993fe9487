/**
 * Progress while waiting, on stderr: a spinner with a countdown when stderr is a terminal, a
 * single plain line otherwise (logs and pipes stay readable).
 */
export interface Progress {
  start(label: string, endsAt: number): void;
  /** Prints a line without garbling the spinner. */
  line(text: string): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

export function createProgress(stream: NodeJS.WriteStream, now: () => number = Date.now): Progress {
  const tty = Boolean(stream.isTTY);
  let timer: NodeJS.Timeout | undefined;
  let frame = 0;
  let current: { label: string; endsAt: number } | null = null;

  const clear = (): void => {
    if (tty && current) stream.write('\r\x1b[K');
  };
  const draw = (): void => {
    if (!tty || !current) return;
    const left = Number.isFinite(current.endsAt) ? ` (${formatRemaining(current.endsAt - now())} left, Ctrl-C to cancel)` : ' (Ctrl-C to cancel)';
    stream.write(`\r\x1b[K${FRAMES[frame % FRAMES.length] ?? ''} ${current.label}${left}`);
    frame += 1;
  };

  return {
    start(label, endsAt) {
      this.stop();
      current = { label, endsAt };
      if (tty) {
        draw();
        timer = setInterval(draw, 100);
        timer.unref();
      } else {
        const limit = Number.isFinite(endsAt) ? ` (times out in ${formatRemaining(endsAt - now())})` : '';
        stream.write(`${label}${limit}\n`);
      }
    },
    line(text) {
      clear();
      stream.write(`${text}\n`);
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
      current = null;
    },
  };
}
