/**
 * The implicit flow of Client web: the start URL (with a state that carries the next URL and a
 * nonce kept in sessionStorage) and the parsing of the /auth landing's fragment.
 */
import { isSafeNextUrl, paths } from "../paths.ts";
import { secondFactorOn } from "../twoFactorText.ts";
import type { Me } from "../types/api.ts";
import { rememberNonce, takeNonce } from "./storage.ts";

export const IMPLICIT_CLIENT_ID = "web";

interface ImplicitState {
  nextUrl: string;
  nonce: string;
}

function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function base64UrlDecode(encoded: string): string {
  const base64 = encoded.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The authorize URL for Client web; the caller stores `nonce` with rememberNonce() before leaving. */
export function implicitAuthorizeUrl(
  authServerUrl: string,
  nonce: string,
  nextUrl: string = paths.home,
): string {
  const state: ImplicitState = { nextUrl, nonce };
  const query = new URLSearchParams({
    client_id: IMPLICIT_CLIENT_ID,
    response_type: "token",
    redirect_uri: `${window.location.origin}${paths.implicitLanding}`,
    state: base64UrlEncode(JSON.stringify(state)),
  });
  return `${authServerUrl}/auth/authorize?${query.toString()}`;
}

export { rememberNonce };

export type LandingResult =
  { ok: true; accessToken: string; nextUrl: string } | { ok: false; message: string };

/**
 * Reads the fragment the auth server sent back (`#access_token=..&token_type=Bearer&state=..`
 * or `#error=..`), checks the state's nonce against the one stored when the flow started
 * (and forgets it), and picks a safe next URL.
 */
export function parseLanding(hash: string): LandingResult {
  const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const expectedNonce = takeNonce();
  const error = params.get("error");
  if (error) {
    const description = params.get("error_description");
    return {
      ok: false,
      message:
        error === "access_denied"
          ? "Sign-in was cancelled."
          : `The auth server refused the sign-in (${description || error}).`,
    };
  }
  const accessToken = params.get("access_token");
  if (!accessToken) {
    return { ok: false, message: "The sign-in response has no access token." };
  }
  let state: unknown;
  try {
    state = JSON.parse(base64UrlDecode(params.get("state") ?? ""));
  } catch {
    return { ok: false, message: "The sign-in response has an unreadable state." };
  }
  const { nonce, nextUrl } = (typeof state === "object" && state !== null ? state : {}) as Partial<
    Record<keyof ImplicitState, unknown>
  >;
  if (expectedNonce === null || typeof nonce !== "string" || nonce !== expectedNonce) {
    return {
      ok: false,
      message:
        "This sign-in response was not started from this tab (the state does not match). Please sign in again.",
    };
  }
  return { ok: true, accessToken, nextUrl: isSafeNextUrl(nextUrl) ? nextUrl : paths.home };
}

/**
 * Where a sign-in lands: the prompt "Do you want to enable two-factor authentication now?" while
 * two-factor is off (as the code flow's /auth/callback does), else the next URL. A next URL other than
 * the home page (a page the user was sent away from) is followed either way.
 */
export function pageAfterSignIn(me: Me, nextUrl: string): string {
  return !secondFactorOn(me.twoFactor) && nextUrl === paths.home ? paths.twoFactorPrompt : nextUrl;
}
