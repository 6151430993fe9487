/**
 * Opening the user's browser. The `open` package does the platform work (xdg-open, `open`,
 * PowerShell, WSL); it is loaded only when a browser is actually opened.
 */
export type OpenBrowser = (url: string) => Promise<void> | void;

export interface BrowserOutcome {
  opened: boolean;
  /** Why the browser was not opened (no secret in it). */
  reason?: string;
}

/** Why opening a browser is pointless here, or null if it is worth a try. */
export function noBrowserReason(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return 'running in CI';
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    const wsl = Boolean(env.WSL_DISTRO_NAME || env.WSL_INTEROP);
    if (!wsl && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
      return env.SSH_CONNECTION || env.SSH_TTY ? 'SSH session without a display' : 'no display';
    }
  }
  return null;
}

/** How long a launcher (xdg-open...) gets to fail before we assume the browser is coming. */
const LAUNCH_GRACE_MS = 1500;

export async function openWithSystemBrowser(url: string): Promise<void> {
  const { default: open } = await import('open');
  const child = await open(url);
  // A launcher that cannot start (ENOENT...) surfaces as an 'error' event: never let it crash us.
  child.on('error', () => undefined);
  // xdg-open and friends exit non-zero at once when no browser can be found: report that as a
  // failure (the caller then tells the user to open the URL) instead of claiming success.
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) {
      resolve(child.exitCode);
      return;
    }
    const timer = setTimeout(() => resolve(null), LAUNCH_GRACE_MS);
    timer.unref();
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code !== null && code !== 0) throw new Error(`the browser launcher exited with code ${code}`);
}

/** Tries to open `url`; never throws — failures come back as `{ opened: false, reason }`. */
export async function tryOpenBrowser(url: string, openBrowser: OpenBrowser | false | undefined): Promise<BrowserOutcome> {
  if (openBrowser === false) return { opened: false, reason: 'opening a browser is turned off' };
  if (openBrowser === undefined) {
    const reason = noBrowserReason();
    if (reason) return { opened: false, reason };
  }
  try {
    await (openBrowser ?? openWithSystemBrowser)(url);
    return { opened: true };
  } catch (error) {
    const detail = error instanceof Error && error.message && !error.message.includes(url) ? `: ${error.message}` : '';
    return { opened: false, reason: `could not open a browser${detail}` };
  }
}
