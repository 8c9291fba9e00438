import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../App.tsx";
import * as client from "../api/client.ts";
import { ApiError } from "../api/client.ts";
import { getAccessToken, rememberNonce, setAccessToken } from "../auth/storage.ts";
import type { Me, TwoFactorMethod } from "../types/api.ts";

vi.mock("../api/client.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../api/client.ts")>();
  return { ...actual, getMe: vi.fn(), logout: vi.fn(), getTwoFactor: vi.fn(), startTotpSetup: vi.fn() };
});

const api = vi.mocked(client);
const unauthorized = () => new ApiError(401, "unauthorized", "Please sign in.");

function me(enabled: boolean, method: TwoFactorMethod | null = null): Me {
  return { id: "u1", email: "ann@example.com", twoFactor: { enabled, method } };
}

/** Codes off, and the auth server asks for the user's passkey after the password. */
const PASSKEY_ONLY: Me = {
  id: "u1",
  email: "ann@example.com",
  twoFactor: { enabled: false, method: null, passkey: true },
};

function openAt(url: string) {
  window.history.replaceState(null, "", url);
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

function base64Url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

beforeEach(() => {
  vi.resetAllMocks();
  // The /two-factor prompt asks whether the policy requires two-factor.
  api.getTwoFactor.mockResolvedValue({ enabled: false, method: null });
});

describe("routing", () => {
  it("sends an unknown path to /signin when signed out", async () => {
    api.getMe.mockRejectedValue(unauthorized());
    openAt("/nowhere");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(window.location.pathname).toBe("/signin");
  });

  it("sends an unknown path to /app when signed in", async () => {
    api.getMe.mockResolvedValue(me(false));
    openAt("/nowhere");
    expect(await screen.findByRole("heading", { name: "Hello, ann@example.com!" })).toBeTruthy();
    expect(window.location.pathname).toBe("/app");
  });

  it("sends a signed-out visitor of /app to /signin", async () => {
    api.getMe.mockRejectedValue(unauthorized());
    openAt("/app");
    await screen.findByRole("heading", { name: "Sign in" });
    expect(window.location.pathname).toBe("/signin");
  });

  it("drops a kept token the backend refuses and asks again (cookie session)", async () => {
    setAccessToken("stale");
    api.getMe.mockRejectedValueOnce(unauthorized()).mockResolvedValueOnce(me(false));
    openAt("/app");
    expect(await screen.findByRole("heading", { name: "Hello, ann@example.com!" })).toBeTruthy();
    expect(getAccessToken()).toBeNull();
  });
});

describe("/signin", () => {
  it("links to the backend's login and signup and to the implicit flow, with a stored nonce", () => {
    openAt("/signin");
    expect(screen.getByRole("link", { name: "Log in" }).getAttribute("href")).toBe(
      "http://backend.test/login",
    );
    expect(screen.getByRole("link", { name: "Sign up" }).getAttribute("href")).toBe(
      "http://backend.test/signup",
    );
    const implicit = new URL(
      screen.getByRole("link", { name: "Log in with the implicit flow (Client web)" }).getAttribute("href") ??
        "",
    );
    expect(implicit.origin + implicit.pathname).toBe("http://auth.test/auth/authorize");
    const state = JSON.parse(
      atob((implicit.searchParams.get("state") ?? "").replace(/-/g, "+").replace(/_/g, "/")),
    ) as {
      nextUrl: string;
      nonce: string;
    };
    expect(state.nextUrl).toBe("/app");
    expect(window.sessionStorage.getItem("twoFactorDemo.implicitNonce")).toBe(state.nonce);
  });

  it("shows the backend's ?error= readably", () => {
    openAt("/signin?error=access_denied");
    expect(screen.getByRole("alert").textContent).toBe("Sign-in was cancelled.");
  });
});

describe("/auth (implicit landing)", () => {
  it("keeps the token, clears the hash and continues to nextUrl", async () => {
    rememberNonce("n1");
    api.getMe.mockResolvedValue(me(false));
    const state = base64Url(JSON.stringify({ nextUrl: "/settings/two-factor", nonce: "n1" }));
    api.getTwoFactor.mockResolvedValue({ enabled: false, method: null });
    openAt(`/auth#access_token=tok-1&token_type=Bearer&state=${state}`);
    await waitFor(() => expect(window.location.pathname).toBe("/settings/two-factor"));
    expect(window.location.hash).toBe("");
    expect(getAccessToken()).toBe("tok-1");
  });

  it("asks a user without two-factor whether to enable it now, as the code flow does", async () => {
    rememberNonce("n1");
    api.getMe.mockResolvedValue(me(false));
    const state = base64Url(JSON.stringify({ nextUrl: "/app", nonce: "n1" }));
    openAt(`/auth#access_token=tok-1&token_type=Bearer&state=${state}`);
    expect(await screen.findByText("Do you want to enable two-factor authentication now?")).toBeTruthy();
    expect(window.location.pathname).toBe("/two-factor");
  });

  it("takes a user with two-factor on straight home", async () => {
    rememberNonce("n1");
    api.getMe.mockResolvedValue(me(true, "totp"));
    const state = base64Url(JSON.stringify({ nextUrl: "/app", nonce: "n1" }));
    openAt(`/auth#access_token=tok-1&token_type=Bearer&state=${state}`);
    expect(await screen.findByRole("heading", { name: "Hello, ann@example.com!" })).toBeTruthy();
    expect(window.location.pathname).toBe("/app");
  });

  it("takes a user whose passkey is the second factor straight home", async () => {
    rememberNonce("n1");
    api.getMe.mockResolvedValue(PASSKEY_ONLY);
    const state = base64Url(JSON.stringify({ nextUrl: "/app", nonce: "n1" }));
    openAt(`/auth#access_token=tok-1&token_type=Bearer&state=${state}`);
    expect(await screen.findByText("Two-factor authentication: on (passkey)")).toBeTruthy();
    expect(window.location.pathname).toBe("/app");
  });

  it("explains a refused token and links back to /signin", async () => {
    rememberNonce("n1");
    api.getMe.mockRejectedValue(unauthorized());
    const state = base64Url(JSON.stringify({ nextUrl: "/app", nonce: "n1" }));
    openAt(`/auth#access_token=bad&state=${state}`);
    expect((await screen.findByRole("alert")).textContent).toMatch(/access token was not accepted/);
    expect(screen.getByRole("link", { name: "Back to sign in" }).getAttribute("href")).toBe("/signin");
    expect(getAccessToken()).toBeNull();
    expect(window.location.hash).toBe("");
  });

  it("refuses a landing without a token", async () => {
    openAt("/auth");
    expect((await screen.findByRole("alert")).textContent).toMatch(/no access token/);
    expect(api.getMe).not.toHaveBeenCalled();
  });
});

describe("/two-factor", () => {
  it("asks the question and each button goes where it should", async () => {
    api.getMe.mockResolvedValue(me(false));
    api.getTwoFactor.mockResolvedValue({ enabled: false, method: null });
    api.startTotpSetup.mockResolvedValue({
      secret: "JBSWY3DPEHPK3PXP",
      otpauthUrl: "otpauth://x",
      qrDataUrl: "data:,",
    });
    openAt("/two-factor");
    expect(await screen.findByText("Do you want to enable two-factor authentication now?")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Email me codes" })).toBeTruthy();
    expect(await screen.findByRole("button", { name: "Skip for now" })).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Use an authenticator app" }));
    expect(await screen.findByAltText("QR code for your authenticator app")).toBeTruthy();
    // ?setup=totp was consumed: a reload would not start another setup.
    expect(window.location.pathname + window.location.search).toBe("/settings/two-factor");
  });

  it("offers no Skip for now when the policy requires two-factor", async () => {
    api.getMe.mockResolvedValue(me(false));
    api.getTwoFactor.mockResolvedValue({ enabled: false, method: null, required: true });
    openAt("/two-factor");
    expect(await screen.findByText(/This site requires two-factor authentication/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Use an authenticator app" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Skip for now" })).toBeNull();
  });

  it("Skip for now goes to /app", async () => {
    api.getMe.mockResolvedValue(me(false));
    openAt("/two-factor");
    fireEvent.click(await screen.findByRole("button", { name: "Skip for now" }));
    expect(await screen.findByText("Two-factor authentication: off")).toBeTruthy();
    expect(window.location.pathname).toBe("/app");
    // Keyboard users continue on the new page's heading.
    expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Hello, ann@example.com!" }));
  });
});

describe("/app", () => {
  it.each([
    [me(true, "totp"), "Two-factor authentication: on (authenticator app)"],
    [me(true, "email"), "Two-factor authentication: on (email)"],
    [me(true, "sms"), "Two-factor authentication: on (text message)"],
    [me(false), "Two-factor authentication: off"],
    [PASSKEY_ONLY, "Two-factor authentication: on (passkey)"],
  ])("shows the status line %#", async (user, text) => {
    api.getMe.mockResolvedValue(user);
    openAt("/app");
    const line = await screen.findByText(text);
    expect(line.textContent).toBe(text);
    expect(line.className).toBe(text.endsWith("off") ? "badge badge-off" : "badge badge-on");
    expect(screen.getByRole("link", { name: "Two-factor settings" }).getAttribute("href")).toBe(
      "/settings/two-factor",
    );
  });

  it("Log out posts /logout, drops the token and goes to /signin", async () => {
    setAccessToken("tok");
    api.getMe.mockResolvedValue(me(false));
    api.logout.mockResolvedValue({ loggedOut: true });
    openAt("/app");
    fireEvent.click(await screen.findByRole("button", { name: "Log out" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(api.logout).toHaveBeenCalledTimes(1);
    expect(getAccessToken()).toBeNull();
  });
});
