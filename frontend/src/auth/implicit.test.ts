import { describe, expect, it } from "vitest";
import { isSafeNextUrl } from "../paths.ts";
import { implicitAuthorizeUrl, parseLanding, rememberNonce } from "./implicit.ts";

function stateOf(authorizeUrl: string): string {
  return new URL(authorizeUrl).searchParams.get("state") ?? "";
}

function decodeState(state: string): unknown {
  return JSON.parse(atob(state.replace(/-/g, "+").replace(/_/g, "/")));
}

describe("implicit flow of Client web", () => {
  it("builds the authorize URL with a base64url state carrying nextUrl and the nonce", () => {
    const url = new URL(implicitAuthorizeUrl("http://auth.test", "n0nce"));
    expect(url.origin + url.pathname).toBe("http://auth.test/auth/authorize");
    expect(url.searchParams.get("client_id")).toBe("web");
    expect(url.searchParams.get("response_type")).toBe("token");
    expect(url.searchParams.get("redirect_uri")).toBe(`${window.location.origin}/auth`);
    const state = url.searchParams.get("state") ?? "";
    expect(state).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeState(state)).toEqual({ nextUrl: "/app", nonce: "n0nce" });
  });

  it("accepts the token when the nonce matches, once", () => {
    rememberNonce("abc");
    const state = stateOf(implicitAuthorizeUrl("http://auth.test", "abc"));
    const hash = `#access_token=tok&token_type=Bearer&state=${state}`;
    expect(parseLanding(hash)).toEqual({ ok: true, accessToken: "tok", nextUrl: "/app" });
    // The nonce is used up: replaying the same fragment fails.
    expect(parseLanding(hash).ok).toBe(false);
  });

  it("refuses a state from another flow", () => {
    rememberNonce("mine");
    const state = stateOf(implicitAuthorizeUrl("http://auth.test", "theirs"));
    expect(parseLanding(`#access_token=tok&state=${state}`)).toMatchObject({ ok: false });
  });

  it("refuses a missing token and reports an error from the auth server", () => {
    rememberNonce("abc");
    expect(parseLanding("#state=x")).toEqual({
      ok: false,
      message: "The sign-in response has no access token.",
    });
    expect(parseLanding("#error=access_denied")).toEqual({ ok: false, message: "Sign-in was cancelled." });
  });

  it("follows only same-origin paths as nextUrl", () => {
    rememberNonce("abc");
    const state = btoa(JSON.stringify({ nextUrl: "//evil.example/x", nonce: "abc" }));
    expect(parseLanding(`#access_token=tok&state=${encodeURIComponent(state)}`)).toMatchObject({
      ok: true,
      nextUrl: "/app",
    });
  });
});

describe("isSafeNextUrl", () => {
  it.each([
    ["/app", true],
    ["/settings/two-factor?x=1", true],
    ["//evil.example", false],
    ["/\\evil.example", false],
    ["https://evil.example/app", false],
    ["app", false],
    ["/a\nb", false],
    ["/\t/evil.example", false],
    ["/a\u0000b", false],
    ["/a\u001fb", false],
    ["/a\u007fb", false],
    ["/caf\u00e9 \u00a0ok", true],
    [42, false],
  ])("%j → %s", (value, expected) => {
    expect(isSafeNextUrl(value)).toBe(expected);
  });
});
