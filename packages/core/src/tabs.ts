import type { TabSync } from './client.js';
import { isNanoGptKey } from './key.js';
import { STORAGE_PREFIX } from './storage.js';

/** Options of {@link tabSync}. */
export interface TabSyncOptions {
  /**
   * A newly opened tab asks the open tabs of the same origin for the key and keeps it in its own
   * storage; signed-in tabs with this option answer. Default false: each tab signs in by itself.
   */
  shareAcrossTabs?: boolean;
}

// The messages on a client's channel: one tab signed out; a new tab asks for the key; the answer.
type TabMessage = 'signed-out' | 'ask' | { key: string; scope: string };

/**
 * Keeps the open tabs of the app in step over a same-origin `BroadcastChannel` (one per issuer):
 * when one tab signs out (or its key is refused as revoked), every tab is signed out at once.
 * With `shareAcrossTabs` a newly opened tab that is signed out asks the others for the key; it
 * never goes through `localStorage`, cookies or the URL, and with no other tab open the new tab
 * simply stays signed out. Pass it as `createNanoGptAuth({ tabs: tabSync() })`. Does nothing where
 * there are no tabs (Node, no `BroadcastChannel`).
 */
export const tabSync =
  (options: TabSyncOptions = {}): TabSync =>
  (session, issuer) => {
    if (typeof window === 'undefined' || typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(STORAGE_PREFIX + issuer);
    const post = (message: TabMessage) => channel.postMessage(message);
    // Only keys this tab asked for are taken, and only while it is still signed out.
    let asking = options.shareAcrossTabs && !session.get();
    channel.onmessage = ({ data }: MessageEvent<TabMessage>) => {
      const signedIn = session.get();
      if (data === 'signed-out') {
        if (signedIn) session.set(null); // tells the others again; signed-out tabs ignore it
      } else if (options.shareAcrossTabs) {
        if (data === 'ask') {
          if (signedIn) post({ key: signedIn.key, scope: signedIn.scope });
        } else if (asking && !signedIn && isNanoGptKey(data?.key) && typeof data.scope === 'string') {
          asking = false;
          session.set({ key: data.key, scope: data.scope });
        }
      }
    };
    session.onChange((key) => {
      asking = false;
      if (key === null) post('signed-out');
    });
    if (asking) post('ask');
  };
