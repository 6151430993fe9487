import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/cli/progress.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let written = '';
  const stream = { isTTY, write: (chunk: string) => ((written += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => written };
}

describe('progress', () => {
  it('draws a spinner with a countdown on a terminal and clears it', () => {
    const { stream, text } = fakeStream(true);
    const now = 1_000_000;
    const progress = createProgress(stream, () => now);
    progress.start('Waiting', now + 125_000);
    expect(text()).toContain('Waiting (2:05 left, Ctrl-C to cancel)');
    progress.line('Opened your browser.');
    expect(text()).toMatch(/\r\x1b\[KOpened your browser\.\n/);
    progress.stop();
    expect(text().endsWith('\r\x1b[K')).toBe(true);
  });

  it('prints one plain line otherwise', () => {
    const { stream, text } = fakeStream(false);
    const progress = createProgress(stream, () => 0);
    progress.start('Waiting', 300_000);
    progress.line('note');
    progress.stop();
    expect(text()).toBe('Waiting (times out in 5:00)\nnote\n');
  });
});
