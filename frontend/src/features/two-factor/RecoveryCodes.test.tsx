import { fireEvent, render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as client from "../../api/client.ts";
import { ApiError } from "../../api/client.ts";
import { recoveryCodesFile, recoveryCodesFileName } from "./RecoveryCodes.tsx";
import { TwoFactorSettings } from "./TwoFactorSettings.tsx";

vi.mock("../../api/client.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api/client.ts")>();
  return {
    ...actual,
    getTwoFactor: vi.fn(),
    startTotpSetup: vi.fn(),
    enableTotp: vi.fn(),
    regenerateRecoveryCodes: vi.fn(),
    sendCurrentCode: vi.fn(),
  };
});

const api = vi.mocked(client);
const CODES = Array.from({ length: 10 }, (_, n) => `abcd-${String(n).padStart(4, "2")}`);
const NEW_CODES = CODES.map((code) => code.replace("abcd", "wxyz"));
const WHOSE = { issuer: "Demo", account: "ann@example.com" };

function renderSettings() {
  render(
    <StrictMode>
      <TwoFactorSettings onUnauthorized={vi.fn()} />
    </StrictMode>,
  );
}

beforeEach(() => {
  vi.resetAllMocks();
  URL.createObjectURL = vi.fn(() => "blob:recovery-codes");
  URL.revokeObjectURL = vi.fn();
});

describe("recovery codes", () => {
  it("are shown once after enabling, beside the status, with a download, until saved", async () => {
    api.getTwoFactor.mockResolvedValue({ enabled: false, method: null, recoveryCodesRemaining: 0 });
    api.startTotpSetup.mockResolvedValue({
      secret: "A".repeat(32),
      otpauthUrl: "otpauth://x",
      qrDataUrl: "data:,",
    });
    api.enableTotp.mockResolvedValue({ enabled: true, method: "totp", recoveryCodes: CODES, ...WHOSE });
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Use an authenticator app" }));
    fireEvent.change(await screen.findByLabelText("Code from your app"), { target: { value: "123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));

    expect(await screen.findByText("Two-factor authentication is on (authenticator app).")).toBeTruthy();
    for (const code of CODES) expect(screen.getByText(code)).toBeTruthy();
    const download = screen.getByRole("link", { name: "Download recovery codes" });
    expect(download.getAttribute("href")).toBe("blob:recovery-codes");
    expect(download.getAttribute("download")).toBe("demo-recovery-codes-ann@example.com.txt");
    expect(screen.getByText("Demo recovery codes for ann@example.com")).toBeTruthy();
    expect(screen.getByText("Recovery codes left: 10")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "I have saved them" }));
    expect(screen.queryByText(CODES[0]!)).toBeNull();
  });

  it("can be regenerated with a current code; a wrong code shows under the field", async () => {
    api.getTwoFactor.mockResolvedValue({ enabled: true, method: "totp", recoveryCodesRemaining: 3 });
    api.regenerateRecoveryCodes
      .mockRejectedValueOnce(new ApiError(422, "invalid_code", "That code is not right.", "code"))
      .mockResolvedValueOnce({ recoveryCodes: NEW_CODES, ...WHOSE });
    renderSettings();
    expect(await screen.findByText("Recovery codes left: 3")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Regenerate recovery codes" }));
    fireEvent.change(screen.getByLabelText("Code from your app"), { target: { value: "111111" } });
    fireEvent.click(screen.getByRole("button", { name: "Regenerate recovery codes" }));
    expect(await screen.findByText("That code is not right.")).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Code from your app"), { target: { value: "222222" } });
    fireEvent.click(screen.getByRole("button", { name: "Regenerate recovery codes" }));
    expect(await screen.findByText(NEW_CODES[0]!)).toBeTruthy();
    expect(api.regenerateRecoveryCodes).toHaveBeenLastCalledWith("222222");
    expect(screen.getByText("Recovery codes left: 10")).toBeTruthy();
  });

  it("download file names the site and the account and lists every code", () => {
    const text = recoveryCodesFile({ recoveryCodes: CODES, ...WHOSE });
    expect(text.split("\n")[0]).toBe("Demo recovery codes for ann@example.com");
    for (const code of CODES) expect(text).toContain(`\n${code}\n`);
    expect(recoveryCodesFileName({ recoveryCodes: CODES, issuer: "Acme Health", account: "a/b@x.org" })).toBe(
      "acme-health-recovery-codes-a-b@x.org.txt",
    );
  });

  it("can be copied and printed", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    api.getTwoFactor.mockResolvedValue({ enabled: true, method: "totp", recoveryCodesRemaining: 3 });
    api.regenerateRecoveryCodes.mockResolvedValue({ recoveryCodes: NEW_CODES, ...WHOSE });
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Regenerate recovery codes" }));
    fireEvent.change(screen.getByLabelText("Code from your app"), { target: { value: "222222" } });
    fireEvent.click(screen.getByRole("button", { name: "Regenerate recovery codes" }));

    fireEvent.click(await screen.findByRole("button", { name: "Copy" }));
    expect(await screen.findByText("Recovery codes copied.")).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(recoveryCodesFile({ recoveryCodes: NEW_CODES, ...WHOSE }));
    fireEvent.click(screen.getByRole("button", { name: "Print" }));
    expect(print).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["email", "Code from the email", "a•••@example.com"],
    ["sms", "Code from the text message", "+1 ••• ••• 0100"],
  ] as const)("%s users regenerate with a code sent to them", async (method, label, sentTo) => {
    api.getTwoFactor.mockResolvedValue({ enabled: true, method, recoveryCodesRemaining: 3 });
    api.sendCurrentCode.mockResolvedValue({ sentTo });
    api.regenerateRecoveryCodes.mockResolvedValue({ recoveryCodes: NEW_CODES, ...WHOSE });
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Regenerate recovery codes" }));
    expect(screen.queryByLabelText("Code from your app")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Send me a code" }));
    expect(await screen.findByText(`We sent a code to ${sentTo}.`)).toBeTruthy();
    expect(api.sendCurrentCode).toHaveBeenCalledTimes(1);
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Send a new code" }).disabled).toBe(true);

    fireEvent.change(screen.getByLabelText(label), { target: { value: " 333 444 " } });
    fireEvent.click(screen.getByRole("button", { name: "Regenerate recovery codes" }));
    expect(await screen.findByText(NEW_CODES[0]!)).toBeTruthy();
    expect(api.regenerateRecoveryCodes).toHaveBeenCalledWith("333444");
  });
});
