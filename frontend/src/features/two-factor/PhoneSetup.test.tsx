import { fireEvent, render, screen, within } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App.tsx";
import * as client from "../../api/client.ts";
import { ApiError } from "../../api/client.ts";
import { TwoFactorSettings } from "./TwoFactorSettings.tsx";

vi.mock("../../api/client.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api/client.ts")>();
  return {
    ...actual,
    getMe: vi.fn(),
    getTwoFactor: vi.fn(),
    sendSmsCode: vi.fn(),
    enableSms: vi.fn(),
  };
});

const api = vi.mocked(client);
const PHONE_MESSAGE =
  "Enter a mobile number in international format: + and the country code, e.g. +1 415 555 0100.";

function renderSettings() {
  const onUnauthorized = vi.fn();
  render(
    <StrictMode>
      <TwoFactorSettings onUnauthorized={onUnauthorized} />
    </StrictMode>,
  );
  return { onUnauthorized };
}

function type(label: string, value: string): HTMLInputElement {
  const input = screen.getByLabelText<HTMLInputElement>(label);
  fireEvent.change(input, { target: { value } });
  return input;
}

beforeEach(() => {
  vi.resetAllMocks();
  api.getTwoFactor.mockResolvedValue({ enabled: false, method: null });
});

describe("Text me codes", () => {
  it("asks for the number, shows the server's message under it, texts a code and enables", async () => {
    api.sendSmsCode
      .mockRejectedValueOnce(new ApiError(422, "invalid_phone_number", PHONE_MESSAGE, "phoneNumber"))
      .mockResolvedValueOnce({ enabled: false, method: "sms", pending: true, sentTo: "+1 ••• ••• 0100" });
    api.enableSms.mockResolvedValue({ enabled: true, method: "sms", phone: "+1 ••• ••• 0100" });
    renderSettings();

    fireEvent.click(await screen.findByRole("button", { name: "Text me codes" }));
    const phone = type("Phone number", "415 555 0100");
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    const fieldError = await within(phone.closest(".field") as HTMLElement).findByRole("alert");
    expect(fieldError.textContent).toBe(PHONE_MESSAGE);
    expect(phone.getAttribute("aria-invalid")).toBe("true");

    type("Phone number", "+1 415 555 0100");
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    expect(await screen.findByText("We sent a code to +1 ••• ••• 0100.")).toBeTruthy();
    expect(api.sendSmsCode).toHaveBeenLastCalledWith("+1 415 555 0100");

    type("Code from the text message", "123456");
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));
    expect(await screen.findByText("Two-factor authentication is on (text message).")).toBeTruthy();
    expect(screen.getByText("Codes are texted to +1 ••• ••• 0100.")).toBeTruthy();
    expect(api.enableSms).toHaveBeenCalledWith("123456");
  });

  it("refuses an empty number and a short code without calling the server", async () => {
    api.sendSmsCode.mockResolvedValue({
      enabled: false,
      method: "sms",
      pending: true,
      sentTo: "+1 ••• ••• 0100",
    });
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Text me codes" }));
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Enter your mobile number/);
    expect(api.sendSmsCode).not.toHaveBeenCalled();

    type("Phone number", "+14155550100");
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    await screen.findByLabelText("Code from the text message");
    type("Code from the text message", "12");
    fireEvent.click(screen.getByRole("button", { name: "Enable" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Enter the 6-digit code.");
    expect(api.enableSms).not.toHaveBeenCalled();
  });

  it("shows a gateway failure at the top and keeps the number", async () => {
    const message = "The text message with the code could not be sent. Check the number or try again later.";
    api.sendSmsCode.mockRejectedValue(new ApiError(502, "delivery_failed", message));
    renderSettings();
    fireEvent.click(await screen.findByRole("button", { name: "Text me codes" }));
    type("Phone number", "+1 415 555 0100");
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    expect((await screen.findByRole("alert")).textContent).toBe(message);
    expect(screen.getByLabelText<HTMLInputElement>("Phone number").value).toBe("+1 415 555 0100");
  });

  it("is offered by the /two-factor prompt and opens the phone form", async () => {
    api.getMe.mockResolvedValue({
      id: "u1",
      email: "ann@example.com",
      twoFactor: { enabled: false, method: null },
    });
    window.history.replaceState(null, "", "/two-factor");
    render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Text me codes" }));
    expect(await screen.findByLabelText("Phone number")).toBeTruthy();
    expect(window.location.pathname + window.location.search).toBe("/settings/two-factor");
  });
});
