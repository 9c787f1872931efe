const KEY = 'voxelfleet.apiKey';
const API_KEY = /^vf_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/;

/**
 * The API key lives in sessionStorage only: gone when the tab closes, never in a URL, a
 * cookie or a log line.
 */
export const session = {
  key(): string | null {
    return sessionStorage.getItem(KEY);
  },
  signIn(key: string): void {
    sessionStorage.setItem(KEY, key.trim());
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
  },
  /** Only the shape; the gateway decides whether the key is real. */
  looksLikeKey(key: string): boolean {
    return API_KEY.test(key.trim());
  },
};
