import { fireEvent, render, screen, within } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as client from "../../api/client.ts";
import { ApiError } from "../../api/client.ts";
import type { TrustedBrowser } from "../../types/api.ts";
import { TwoFactorSettings } from "./TwoFactorSettings.tsx";

vi.mock("../../api/client.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api/client.ts")>();
  return {
    ...actual,
    getTwoFactor: vi.fn(),
    getTrustedBrowsers: vi.fn(),
    revokeTrustedBrowser: vi.fn(),
    signOutOfTrustedBrowsers: vi.fn(),
  };
});

const api = vi.mocked(client);
const ON = { enabled: true, method: "totp", recoveryCodesRemaining: 10 } as const;

function browser(id: number, label: string): TrustedBrowser {
  return {
    id,
    label,
    created: "2026-12-01T10:00:00Z",
    lastUsed: "2026-12-03T09:30:00Z",
    expires: "2026-12-31T10:00:00Z",
  };
}

const CHROME = browser(7, "Chrome on Linux");
const FIREFOX = browser(3, "Firefox on Windows");

function renderSettings(onUnauthorized = vi.fn()) {
  render(
    <StrictMode>
      <TwoFactorSettings onUnauthorized={onUnauthorized} />
    </StrictMode>,
  );
  return onUnauthorized;
}

beforeEach(() => {
  vi.resetAllMocks();
  api.getTwoFactor.mockResolvedValue(ON);
});

describe("trusted browsers", () => {
  it("lists each browser with its label and a Revoke button", async () => {
    api.getTrustedBrowsers.mockResolvedValue([CHROME, FIREFOX]);
    renderSettings();
    const list = await screen.findByRole("list");
    expect(within(list).getByText("Chrome on Linux")).toBeTruthy();
    expect(within(list).getByText("Firefox on Windows")).toBeTruthy();
    expect(within(list).getAllByRole("button", { name: /^Revoke/ })).toHaveLength(2);
  });

  it("revokes one and shows the ones left", async () => {
    api.getTrustedBrowsers.mockResolvedValue([CHROME, FIREFOX]);
    api.revokeTrustedBrowser.mockResolvedValue([FIREFOX]);
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: /Revoke Chrome on Linux/ }));
    expect(api.revokeTrustedBrowser).toHaveBeenCalledWith(7);
    // The list changes when the answer arrives: wait for that, not for a button that was there before.
    await vi.waitFor(() => expect(screen.queryByText("Chrome on Linux")).toBeNull());
    expect(screen.getByRole("button", { name: /Revoke Firefox on Windows/ })).toBeTruthy();
  });

  it("signs out of all trusted browsers", async () => {
    api.getTrustedBrowsers.mockResolvedValue([CHROME]);
    api.signOutOfTrustedBrowsers.mockResolvedValue([]);
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Sign out of trusted browsers" }));
    expect(await screen.findByText(/No browser skips the second factor/)).toBeTruthy();
    expect(api.signOutOfTrustedBrowsers).toHaveBeenCalledOnce();
  });

  it("says why a revoke failed and keeps the list", async () => {
    api.getTrustedBrowsers.mockResolvedValue([CHROME]);
    api.revokeTrustedBrowser.mockRejectedValue(
      new ApiError(404, "not_found", "There is no such trusted browser."),
    );
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: /Revoke Chrome on Linux/ }));
    expect(await screen.findByText("There is no such trusted browser.")).toBeTruthy();
    expect(screen.getByText("Chrome on Linux")).toBeTruthy();
  });

  it("is not shown while two-factor is off", async () => {
    api.getTwoFactor.mockResolvedValue({ enabled: false, method: null, recoveryCodesRemaining: 0 });
    renderSettings();
    await screen.findByRole("button", { name: "Use an authenticator app" });
    expect(screen.queryByRole("heading", { name: "Trusted browsers" })).toBeNull();
    expect(api.getTrustedBrowsers).not.toHaveBeenCalled();
  });

  it("is shown where a passkey is the second factor (its step has the same box)", async () => {
    api.getTwoFactor.mockResolvedValue({ enabled: false, method: null, passkey: true });
    api.getTrustedBrowsers.mockResolvedValue([CHROME]);
    renderSettings();
    expect(await screen.findByRole("heading", { name: "Trusted browsers" })).toBeTruthy();
    expect(await screen.findByText("Chrome on Linux")).toBeTruthy();
  });

  it("links to the auth server's password page", async () => {
    api.getTrustedBrowsers.mockResolvedValue([]);
    renderSettings();
    const link = await screen.findByRole("link", { name: "Change your password" });
    expect(link.getAttribute("href")).toMatch(/\/auth\/password$/);
  });

  it("a 401 ends the page's session", async () => {
    api.getTrustedBrowsers.mockRejectedValue(new ApiError(401, "unauthorized", "Sign in."));
    const onUnauthorized = renderSettings();
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalled());
  });
});
