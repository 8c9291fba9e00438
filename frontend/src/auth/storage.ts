/**
 * What the implicit flow (Client web) keeps in sessionStorage: the access token used as
 * `Authorization: Bearer` and the nonce of the flow in progress. Nothing else is ever stored:
 * sessionStorage is per tab and gone when the tab closes; the cookie session needs none of this.
 */

const TOKEN_KEY = "twoFactorDemo.accessToken";
const NONCE_KEY = "twoFactorDemo.implicitNonce";

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the implicit flow cannot work, the cookie flow still does
  }
}

export function getAccessToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

export function setAccessToken(token: string): void {
  storage()?.setItem(TOKEN_KEY, token);
}

export function clearAccessToken(): void {
  storage()?.removeItem(TOKEN_KEY);
}

export function rememberNonce(nonce: string): void {
  storage()?.setItem(NONCE_KEY, nonce);
}

/** Returns the stored nonce and forgets it: each nonce is good for one return only. */
export function takeNonce(): string | null {
  const s = storage();
  if (!s) return null;
  const nonce = s.getItem(NONCE_KEY);
  s.removeItem(NONCE_KEY);
  return nonce;
}
