import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as client from "../../api/client.ts";
import { ApiError } from "../../api/client.ts";
import { deferred } from "../../test/deferred.ts";
import type { TotpSetup, TwoFactorStatus } from "../../types/api.ts";
import { groupSecret } from "./AuthenticatorKey.tsx";
import { TwoFactorSettings } from "./TwoFactorSettings.tsx";

// The API is mocked at the client module: the component sees only these functions.
vi.mock("../../api/client.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api/client.ts")>();
  return {
    ...actual,
    getTwoFactor: vi.fn(),
    startTotpSetup: vi.fn(),
    cancelTotpSetup: vi.fn(),
    enableTotp: vi.fn(),
    sendEmailCode: vi.fn(),
    enableEmail: vi.fn(),
    disableTwoFactor: vi.fn(),
  };
});

const api = vi.mocked(client);

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const SETUP: TotpSetup = {
  secret: SECRET,
  otpauthUrl: `otpauth://totp/Demo:ann%40example.com?secret=${SECRET}&issuer=Demo`,
  qrDataUrl: "data:image/png;base64,iVBORw0KGgo=",
};
const OFF: TwoFactorStatus = { enabled: false, method: null };

function renderSettings(props: Partial<Parameters<typeof TwoFactorSettings>[0]> = {}) {
  const onUnauthorized = vi.fn();
  const onStartConsumed = vi.fn();
  // StrictMode as in main.tsx: effects run twice, which must not start two setups.
  render(
    <StrictMode>
      <TwoFactorSettings onUnauthorized={onUnauthorized} onStartConsumed={onStartConsumed} {...props} />
    </StrictMode>,
  );
  return { onUnauthorized, onStartConsumed };
}

function typeInto(label: string, value: string): HTMLInputElement {
  const input = screen.getByLabelText<HTMLInputElement>(label);
  fireEvent.change(input, { target: { value } });
  return input;
}

/** The field's own error: in the same .field wrapper and referenced by aria-describedby. */
function errorOf(input: HTMLInputElement): HTMLElement {
  const alert = within(input.closest(".field") as HTMLElement).getByRole("alert");
  expect(input.getAttribute("aria-describedby")?.split(" ")).toContain(alert.id);
  expect(input.getAttribute("aria-invalid")).toBe("true");
  return alert;
}

/** Moves the faked clock; first lets React run the effects that start the countdown's timer. */
async function passSeconds(seconds: number): Promise<void> {
  await act(() => Promise.resolve());
  act(() => {
    vi.advanceTimersByTime(seconds * 1000);
  });
}

beforeEach(() => {
  vi.resetAllMocks();
  api.cancelTotpSetup.mockResolvedValue(OFF);
});

describe("TwoFactorSettings", () => {
  it("goes loading → off → TOTP setup → code error under the field → enabled, and drops the secret", async () => {
    const status = deferred<TwoFactorStatus>();
    api.getTwoFactor.mockReturnValue(status.promise);
    api.startTotpSetup.mockResolvedValue(SETUP);
    api.enableTotp
      .mockRejectedValueOnce(
        new ApiError(422, "invalid_code", "That code is not valid. Try the current one.", "code"),
      )
      .mockResolvedValueOnce({ enabled: true, method: "totp" });

    renderSettings();
    expect(screen.getByRole("status").textContent).toBe("Loading your two-factor settings…");

    await act(async () => {
      status.resolve(OFF);
      await status.promise;
    });
    expect(screen.getByText(/Two-factor authentication is off/)).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Use an authenticator app" }));
    const qr = await screen.findByAltText<HTMLImageElement>("QR code for your authenticator app");
    expect(qr.getAttribute("src")).toBe(SETUP.qrDataUrl);
    expect(screen.getByLabelText("Secret key").textContent).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    expect(screen.getByRole("button", { name: "Copy secret" })).toBeTruthy();

    const codeInput = typeInto("Code from your app", "123456");
    expect(codeInput.inputMode).toBe("numeric");
    expect(codeInput.autocomplete).toBe("one-time-code");
    expect(codeInput.pattern).toBe("[0-9]{6}");
    // No maxLength: it would cut a pasted "806 056" to "806 05" before the spaces are dropped.
    expect(codeInput.maxLength).toBe(-1);

    fireEvent.click(screen.getByRole("button", { name: "Enable" }));
    const error = await screen.findByRole("alert");
    expect(error.textContent).toBe("That code is not valid. Try the current one.");
    expect(errorOf(screen.getByLabelText("Code from your app"))).toBe(error);
    expect(api.enableTotp).toHaveBeenLastCalledWith("123456");

    typeInto("Code from your app", "654321");
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));
    expect(await screen.findByText("Two-factor authentication is on (authenticator app).")).toBeTruthy();
    expect(api.enableTotp).toHaveBeenLastCalledWith("654321");

    // Setup is over: no QR, no secret (in any grouping), nothing stored.
    expect(screen.queryByAltText("QR code for your authenticator app")).toBeNull();
    expect(screen.queryByLabelText("Secret key")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    const html = document.body.innerHTML.replace(/\s+/g, "");
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain("JBSWY3DP");
    expect(window.sessionStorage.length).toBe(0);
    expect(window.localStorage.length).toBe(0);
    expect(screen.getByRole("button", { name: "Disable" })).toBeTruthy();
    expect(
      screen.getByRole("link", { name: "Disable with a code on the auth server" }).getAttribute("href"),
    ).toBe(
      `http://auth.test/auth/two-factor/disable?redirect_uri=${encodeURIComponent(`${window.location.origin}/settings/two-factor`)}`,
    );
  });

  it("goes back to the overview and says why when a setup cannot start", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.startTotpSetup.mockRejectedValue(new ApiError(429, "too_many_attempts", "Try again in 60 seconds."));
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Use an authenticator app" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Try again in 60 seconds.");
    expect(screen.getByRole("button", { name: "Use an authenticator app" })).toBeTruthy();
    expect(screen.queryByText("Creating your secret key…")).toBeNull();
  });

  it("checks the code is 6 digits before calling the API", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.startTotpSetup.mockResolvedValue(SETUP);
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Use an authenticator app" }));
    await screen.findByAltText("QR code for your authenticator app");

    const input = typeInto("Code from your app", "12ab");
    expect(input.value).toBe("12");
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));
    expect(errorOf(input).textContent).toBe("Enter the 6-digit code.");
    expect(api.enableTotp).not.toHaveBeenCalled();
  });

  it("Copy secret puts the secret without spaces on the clipboard", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    api.getTwoFactor.mockResolvedValue(OFF);
    api.startTotpSetup.mockResolvedValue(SETUP);
    renderSettings({ start: "totp" });
    fireEvent.click(await screen.findByRole("button", { name: "Copy secret" }));
    expect(await screen.findByText("Secret copied.")).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(SECRET);
  });

  it("Cancel leaves setup and drops the secret and QR code", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.startTotpSetup.mockResolvedValue(SETUP);
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Use an authenticator app" }));
    await screen.findByAltText("QR code for your authenticator app");

    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(api.cancelTotpSetup).toHaveBeenCalledTimes(1);
    expect(screen.queryByAltText("QR code for your authenticator app")).toBeNull();
    expect(document.body.innerHTML.replace(/\s+/g, "")).not.toContain("JBSWY3DP");
    expect(screen.getByRole("button", { name: "Use an authenticator app" })).toBeTruthy();
  });

  it("email: pending with the masked address → code → enabled", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.sendEmailCode.mockResolvedValue({
      enabled: false,
      method: "email",
      pending: true,
      sentTo: "a•••@example.com",
    });
    api.enableEmail.mockResolvedValue({ enabled: true, method: "email" });
    renderSettings();

    fireEvent.click(await screen.findByRole("button", { name: "Email me codes" }));
    expect(await screen.findByText("We sent a code to a•••@example.com.")).toBeTruthy();
    expect(api.sendEmailCode).toHaveBeenCalledTimes(1); // the click sends it, not an effect StrictMode runs twice
    const input = typeInto("Code from the email", "000123");
    expect(input.autocomplete).toBe("one-time-code");
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));

    expect(await screen.findByText("Two-factor authentication is on (email).")).toBeTruthy();
    expect(api.enableEmail).toHaveBeenCalledWith("000123");
    expect(screen.queryByLabelText("Code from the email")).toBeNull();
  });

  it("disable: a wrong password shows the error under the field, the right one turns 2FA off", async () => {
    api.getTwoFactor.mockResolvedValue({ enabled: true, method: "totp" });
    api.disableTwoFactor
      .mockRejectedValueOnce(
        new ApiError(422, "invalid_password", "The password is not correct.", "password"),
      )
      .mockResolvedValueOnce(OFF);
    renderSettings();

    expect(await screen.findByText("Two-factor authentication is on (authenticator app).")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Disable" }));
    // Only "Confirm disable" now: the "Disable" button is gone while the password is asked.
    expect(screen.queryByRole("button", { name: "Disable" })).toBeNull();
    const password = typeInto("Password", "wrong");
    expect(password.type).toBe("password");
    expect(password.autocomplete).toBe("current-password");

    fireEvent.click(screen.getByRole("button", { name: "Confirm disable" }));
    const error = await screen.findByRole("alert");
    expect(error.textContent).toBe("The password is not correct.");
    expect(errorOf(screen.getByLabelText("Password"))).toBe(error);
    expect(api.disableTwoFactor).toHaveBeenLastCalledWith("wrong");

    typeInto("Password", "right password");
    fireEvent.click(screen.getByRole("button", { name: "Confirm disable" }));
    expect(await screen.findByText(/Two-factor authentication is off/)).toBeTruthy();
    expect(api.disableTwoFactor).toHaveBeenLastCalledWith("right password");
    expect(screen.queryByLabelText("Password")).toBeNull();
  });

  it("shows an error without a field at the top", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.sendEmailCode.mockResolvedValue({
      enabled: false,
      method: "email",
      pending: true,
      sentTo: "a•••@example.com",
    });
    api.enableEmail.mockRejectedValue(
      new ApiError(422, "nothing_pending", "No code is pending. Send a new one."),
    );
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Email me codes" }));
    await screen.findByLabelText("Code from the email");
    typeInto("Code from the email", "111111");
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("No code is pending. Send a new one.");
    expect(alert.closest(".field")).toBeNull();
    expect(screen.getByLabelText("Code from the email").getAttribute("aria-invalid")).toBeNull();
  });

  it("starts TOTP setup right away when asked by the prompt", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.startTotpSetup.mockResolvedValue(SETUP);
    const { onStartConsumed } = renderSettings({ start: "totp" });
    expect(await screen.findByAltText("QR code for your authenticator app")).toBeTruthy();
    expect(api.startTotpSetup).toHaveBeenCalledTimes(1);
    expect(onStartConsumed).toHaveBeenCalledTimes(1);
  });

  it("sends the email code right away when asked by the prompt", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.sendEmailCode.mockResolvedValue({
      enabled: false,
      method: "email",
      pending: true,
      sentTo: "a•••@example.com",
    });
    renderSettings({ start: "email" });
    expect(await screen.findByLabelText("Code from the email")).toBeTruthy();
    expect(api.sendEmailCode).toHaveBeenCalledTimes(1);
  });

  it("does not start a setup when 2FA is already on", async () => {
    api.getTwoFactor.mockResolvedValue({ enabled: true, method: "email" });
    renderSettings({ start: "totp" });
    expect(await screen.findByText("Two-factor authentication is already on.")).toBeTruthy();
    expect(screen.getByText("Two-factor authentication is on (email).")).toBeTruthy();
    expect(api.startTotpSetup).not.toHaveBeenCalled();
  });

  it.each(["806 056", "  806056  ", "806-056", "\t806 056\n"])(
    "reads a pasted %j as the code 806056",
    async (pasted) => {
      api.getTwoFactor.mockResolvedValue(OFF);
      api.startTotpSetup.mockResolvedValue(SETUP);
      api.enableTotp.mockResolvedValue({ enabled: true, method: "totp" });
      renderSettings({ start: "totp" });
      await screen.findByAltText("QR code for your authenticator app");
      expect(typeInto("Code from your app", pasted).value).toBe("806056");
      fireEvent.click(screen.getByRole("button", { name: "Enable" }));
      await vi.waitFor(() => expect(api.enableTotp).toHaveBeenCalledWith("806056"));
    },
  );

  it("gives the focus back to the code field after a wrong code", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.startTotpSetup.mockResolvedValue(SETUP);
    api.enableTotp.mockRejectedValue(new ApiError(422, "invalid_code", "That code is not right.", "code"));
    renderSettings({ start: "totp" });
    await screen.findByAltText("QR code for your authenticator app");
    const input = typeInto("Code from your app", "123456");
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));
    await screen.findByText("That code is not right.");
    expect(document.activeElement).toBe(input);
  });

  it("gives the focus back to the password field after a wrong password", async () => {
    const answer = deferred<TwoFactorStatus>();
    api.getTwoFactor.mockResolvedValue({ enabled: true, method: "totp" });
    api.disableTwoFactor.mockReturnValue(answer.promise);
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Disable" }));
    const password = typeInto("Password", "wrong");
    expect(document.activeElement).toBe(password);
    fireEvent.click(screen.getByRole("button", { name: "Confirm disable" }));
    expect(password.disabled).toBe(true);
    password.blur(); // what a browser does to a focused field that gets disabled (jsdom does not)
    await act(async () => {
      answer.reject(new ApiError(422, "invalid_password", "That password is not right.", "password"));
      await answer.promise.catch(() => undefined);
    });
    await screen.findByText("That password is not right.");
    expect(document.activeElement).toBe(password);
  });

  it("gives the focus back to the code field after an error shown at the top", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.startTotpSetup.mockResolvedValue(SETUP);
    api.enableTotp.mockRejectedValue(new ApiError(429, "too_many_attempts", "Try again in 60 seconds."));
    renderSettings({ start: "totp" });
    await screen.findByAltText("QR code for your authenticator app");
    const input = typeInto("Code from your app", "123456");
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));
    await screen.findByText("Try again in 60 seconds.");
    expect(document.activeElement).toBe(input);
  });

  it("after Cancel, puts the focus on the heading, where the pressed button was", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    api.startTotpSetup.mockResolvedValue(SETUP);
    renderSettings({ start: "totp" });
    await screen.findByAltText("QR code for your authenticator app");
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await screen.findByRole("button", { name: "Use an authenticator app" });
    expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Two-factor authentication" }));
  });

  it("leaves the focus in a field elsewhere on the page when the settings finish loading", async () => {
    const status = deferred<TwoFactorStatus>();
    api.getTwoFactor.mockReturnValue(status.promise);
    renderSettings();
    const elsewhere = document.body.appendChild(document.createElement("input"));
    elsewhere.focus();
    await act(async () => {
      status.resolve(OFF);
      await status.promise;
    });
    expect(screen.getByText(/Two-factor authentication is off/)).toBeTruthy();
    expect(document.activeElement).toBe(elsewhere);
    elsewhere.remove();
  });

  it("after a reload, reopens the pending setup with the same QR code", async () => {
    api.getTwoFactor.mockResolvedValue({ ...OFF, pendingSetup: "totp" });
    api.startTotpSetup.mockResolvedValue({ ...SETUP, expired: false });
    renderSettings();
    expect(await screen.findByAltText("QR code for your authenticator app")).toBeTruthy();
    expect(screen.getByLabelText("Secret key").textContent).toBe(groupSecret(SECRET));
    expect(api.startTotpSetup).toHaveBeenCalledTimes(1);
    expect(screen.queryByText("This setup expired; scan the new QR code.")).toBeNull();
  });

  it("says when the setup expired and shows the new QR code", async () => {
    const renewed = { ...SETUP, secret: "A".repeat(32), expired: true };
    api.getTwoFactor.mockResolvedValue(OFF);
    api.startTotpSetup.mockResolvedValueOnce(SETUP).mockResolvedValueOnce(renewed);
    api.enableTotp.mockRejectedValue(
      new ApiError(422, "setup_expired", "This setup expired; scan the new QR code."),
    );
    renderSettings({ start: "totp" });
    await screen.findByAltText("QR code for your authenticator app");
    typeInto("Code from your app", "123456");
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));
    expect(await screen.findByText("This setup expired; scan the new QR code.")).toBeTruthy();
    await vi.waitFor(() =>
      expect(screen.getByLabelText("Secret key").textContent).toBe(groupSecret(renewed.secret)),
    );
    expect(api.startTotpSetup).toHaveBeenCalledTimes(2);
  });

  it("email: Send a new code waits 30 s, then says Sent; a refusal keeps the form", async () => {
    const pending = { enabled: false, method: "email", pending: true, sentTo: "a•••@example.com" } as const;
    const tooSoon = "A code was sent moments ago. You can ask for a new one in 12 seconds.";
    api.getTwoFactor.mockResolvedValue(OFF);
    api.sendEmailCode
      .mockResolvedValueOnce(pending)
      .mockResolvedValueOnce(pending)
      .mockRejectedValueOnce(new ApiError(429, "too_soon", tooSoon, undefined, 12));
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    try {
      renderSettings({ start: "email" });
      expect(await screen.findByText("We sent a code to a•••@example.com.")).toBeTruthy();
      const resend = screen.getByRole<HTMLButtonElement>("button", { name: "Send a new code" });
      expect(resend.disabled).toBe(true);
      expect(screen.getByText("You can ask for another in 30 s.")).toBeTruthy();
      await passSeconds(10);
      expect(screen.getByText("You can ask for another in 20 s.")).toBeTruthy();
      await passSeconds(20);
      expect(resend.disabled).toBe(false);

      fireEvent.click(resend);
      expect(await screen.findByText("Sent: a new code is on its way to a•••@example.com.")).toBeTruthy();
      expect(resend.disabled).toBe(true);

      await passSeconds(30);
      fireEvent.click(resend);
      expect((await screen.findByRole("alert")).textContent).toBe(tooSoon);
      expect(screen.getByLabelText("Code from the email")).toBeTruthy();
      expect(screen.getByText("You can ask for another in 12 s.")).toBeTruthy();
      expect(api.sendEmailCode).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("hands a 401 to the page", async () => {
    api.getTwoFactor.mockRejectedValue(new ApiError(401, "unauthorized", "Please sign in."));
    const { onUnauthorized } = renderSettings();
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalled());
  });
});

describe("groupSecret", () => {
  it("groups in fours", () => {
    expect(groupSecret("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
    expect(groupSecret(" AB CD ")).toBe("ABCD");
  });
});

describe("a passkey as the second factor", () => {
  const PASSKEY: TwoFactorStatus = { ...OFF, passkey: true };

  function settingsAt(statusVersion: number) {
    return (
      <StrictMode>
        <TwoFactorSettings onUnauthorized={vi.fn()} statusVersion={statusVersion} />
      </StrictMode>
    );
  }

  it("is read again when the passkeys section added or removed one", async () => {
    api.getTwoFactor.mockResolvedValue(OFF);
    const view = render(settingsAt(0));
    expect(await screen.findByText(/Two-factor authentication is off/)).toBeTruthy();

    api.getTwoFactor.mockResolvedValue(PASSKEY);
    view.rerender(settingsAt(1));
    expect(await screen.findByText(/Two-factor authentication is on \(passkey\)/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Use an authenticator app" })).toBeTruthy();
  });

  it("is still asked for after codes are turned off, and the notice says so", async () => {
    api.getTwoFactor.mockResolvedValue({ enabled: true, method: "totp" });
    api.disableTwoFactor.mockResolvedValue(PASSKEY);
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Disable" }));
    typeInto("Password", "right password");
    fireEvent.click(screen.getByRole("button", { name: "Confirm disable" }));
    expect(
      await screen.findByText("Done: codes are off; after your password, you confirm with your passkey."),
    ).toBeTruthy();
    expect(screen.getByText(/Two-factor authentication is on \(passkey\)/)).toBeTruthy();
  });
});
