import { fireEvent, render, screen, within } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as client from "../../api/client.ts";
import { ApiError } from "../../api/client.ts";
import type { TwoFactorStatus } from "../../types/api.ts";
import { TwoFactorSettings } from "./TwoFactorSettings.tsx";

vi.mock("../../api/client.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api/client.ts")>();
  return {
    ...actual,
    getTwoFactor: vi.fn(),
    openMethodChange: vi.fn(),
    sendCurrentCode: vi.fn(),
    startNewTotp: vi.fn(),
    sendNewEmailCode: vi.fn(),
    sendNewSmsCode: vi.fn(),
    confirmMethodChange: vi.fn(),
    cancelMethodChange: vi.fn(),
  };
});

const api = vi.mocked(client);
const APP_ON: TwoFactorStatus = { enabled: true, method: "totp", recoveryCodesRemaining: 10 };
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

function type(label: string, value: string): HTMLInputElement {
  const input = screen.getByLabelText<HTMLInputElement>(label);
  fireEvent.change(input, { target: { value } });
  return input;
}

function click(name: string): void {
  fireEvent.click(screen.getByRole("button", { name }));
}

async function openChangeMethod(status: TwoFactorStatus): Promise<void> {
  api.getTwoFactor.mockResolvedValue(status);
  render(
    <StrictMode>
      <TwoFactorSettings onUnauthorized={vi.fn()} />
    </StrictMode>,
  );
  fireEvent.click(await screen.findByRole("button", { name: "Change method" }));
  expect(screen.getByRole("heading", { name: "Change your two-factor method" })).toBeTruthy();
}

beforeEach(() => {
  vi.resetAllMocks();
  api.cancelMethodChange.mockResolvedValue(APP_ON);
});

describe("Change method", () => {
  it("goes from the authenticator app to email: password, new code, then the new recovery codes", async () => {
    api.openMethodChange
      .mockRejectedValueOnce(new ApiError(422, "invalid_password", "That password is not right.", "password"))
      .mockResolvedValueOnce({ expiresIn: 600 });
    api.sendNewEmailCode.mockResolvedValue({ method: "email", pending: true, sentTo: "a•••@example.com" });
    api.confirmMethodChange
      .mockRejectedValueOnce(new ApiError(422, "invalid_code", "That code is not right.", "code"))
      .mockResolvedValueOnce({
        enabled: true,
        method: "email",
        recoveryCodes: ["aaaa-bbbb", "cccc-dddd"],
        issuer: "Demo",
        account: "ann@example.com",
      });
    await openChangeMethod(APP_ON);

    expect(screen.getByText(/stays on \(authenticator app\) until the new method is confirmed/)).toBeTruthy();
    const password = type("Password", "wrong");
    expect(document.activeElement).toBe(password);
    click("Continue");
    expect((await screen.findByRole("alert")).textContent).toBe("That password is not right.");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    type("Password", "correct horse battery");
    click("Continue");

    fireEvent.click(await screen.findByRole("button", { name: "Email me codes" }));
    expect(api.openMethodChange).toHaveBeenLastCalledWith({ password: "correct horse battery" });
    expect(await screen.findByText("We sent a code to a•••@example.com.")).toBeTruthy();
    type("Code from the email", "111111");
    click("Switch");
    const field = screen.getByLabelText("Code from the email").closest(".field") as HTMLElement;
    expect((await within(field).findByRole("alert")).textContent).toBe("That code is not right.");
    type("Code from the email", "222222");
    click("Switch");

    expect(await screen.findByText("Two-factor authentication is on (email).")).toBeTruthy();
    expect(screen.getByText("Done: the new method is on, and the old one no longer works.")).toBeTruthy();
    expect(screen.getByText("aaaa-bbbb")).toBeTruthy();
    expect(api.confirmMethodChange).toHaveBeenLastCalledWith("222222");
    expect(api.cancelMethodChange).not.toHaveBeenCalled();
  });

  it("Cancel halfway drops the change and leaves the authenticator app on", async () => {
    api.openMethodChange.mockResolvedValue({ expiresIn: 600 });
    api.startNewTotp.mockResolvedValue({
      method: "totp",
      secret: SECRET,
      otpauthUrl: `otpauth://totp/Demo:ann%40example.com?secret=${SECRET}&issuer=Demo`,
      qrDataUrl: "data:image/png;base64,iVBORw0KGgo=",
    });
    await openChangeMethod(APP_ON);
    type("Password", "correct horse battery");
    click("Continue");
    fireEvent.click(await screen.findByRole("button", { name: "Use an authenticator app" }));
    expect(await screen.findByRole("img", { name: "QR code for your authenticator app" })).toBeTruthy();
    expect(screen.getByLabelText("Secret key").textContent).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");

    click("Cancel");
    expect(api.cancelMethodChange).toHaveBeenCalledTimes(1);
    expect(screen.getByText("Two-factor authentication is on (authenticator app).")).toBeTruthy();
    expect(screen.queryByLabelText("Secret key")).toBeNull();
    expect(api.confirmMethodChange).not.toHaveBeenCalled();
  });

  it("an email user can confirm it is them with an emailed code instead of the password", async () => {
    api.sendCurrentCode.mockResolvedValue({ sentTo: "a•••@example.com" });
    api.openMethodChange.mockResolvedValue({ expiresIn: 600 });
    await openChangeMethod({ enabled: true, method: "email" });
    click("Use a code instead");
    click("Email me a code");
    expect(await screen.findByText("We sent a code to a•••@example.com.")).toBeTruthy();
    type("Code we sent you", "333333");
    click("Continue");
    expect(await screen.findByRole("button", { name: "Text me codes" })).toBeTruthy();
    expect(api.openMethodChange).toHaveBeenCalledWith({ code: "333333" });
  });

  it("an expired change asks for the password again", async () => {
    api.openMethodChange.mockResolvedValue({ expiresIn: 600 });
    api.startNewTotp.mockRejectedValue(
      new ApiError(422, "change_not_open", "Confirm it is you first, with your password or a current code."),
    );
    await openChangeMethod(APP_ON);
    type("Password", "correct horse battery");
    click("Continue");
    fireEvent.click(await screen.findByRole("button", { name: "Use an authenticator app" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Confirm it is you first, with your password or a current code.",
    );
    expect(screen.getByLabelText("Password")).toBeTruthy();
  });
});
