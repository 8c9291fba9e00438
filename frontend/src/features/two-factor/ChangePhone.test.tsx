import { fireEvent, render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as client from "../../api/client.ts";
import { ApiError } from "../../api/client.ts";
import { TwoFactorSettings } from "./TwoFactorSettings.tsx";

vi.mock("../../api/client.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api/client.ts")>();
  return {
    ...actual,
    getTwoFactor: vi.fn(),
    sendCurrentPhoneCode: vi.fn(),
    startPhoneChange: vi.fn(),
    confirmPhoneChange: vi.fn(),
  };
});

const api = vi.mocked(client);

function type(label: string, value: string): void {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

beforeEach(() => {
  vi.resetAllMocks();
  api.getTwoFactor.mockResolvedValue({ enabled: true, method: "sms", phone: "+1 ••• ••• 0100" });
});

describe("Change number", () => {
  it("needs the code sent to the current number, then the new number's code", async () => {
    api.sendCurrentPhoneCode.mockResolvedValue({ sentTo: "+1 ••• ••• 0100" });
    api.startPhoneChange
      .mockRejectedValueOnce(new ApiError(422, "invalid_code", "That code is not right.", "currentCode"))
      .mockResolvedValueOnce({ sentTo: "+1 ••• ••• 0199" });
    api.confirmPhoneChange.mockResolvedValue({ enabled: true, method: "sms", phone: "+1 ••• ••• 0199" });
    render(
      <StrictMode>
        <TwoFactorSettings onUnauthorized={vi.fn()} />
      </StrictMode>,
    );

    expect(await screen.findByText("Codes are texted to +1 ••• ••• 0100.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Change number" }));
    fireEvent.click(screen.getByRole("button", { name: "Text a code to my current number" }));
    expect(await screen.findByText("We sent a code to +1 ••• ••• 0100.")).toBeTruthy();

    type("Code sent to your current number", "111111");
    type("New phone number", "+1 415 555 0199");
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    expect((await screen.findByRole("alert")).textContent).toBe("That code is not right.");
    type("Code sent to your current number", "222222");
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    expect(await screen.findByText("We sent a code to +1 ••• ••• 0199.")).toBeTruthy();
    expect(api.startPhoneChange).toHaveBeenLastCalledWith("+1 415 555 0199", "222222");

    type("Code from the text message", "333333");
    fireEvent.click(screen.getByRole("button", { name: "Save number" }));
    expect(await screen.findByText("Codes are texted to +1 ••• ••• 0199.")).toBeTruthy();
    expect(api.confirmPhoneChange).toHaveBeenCalledWith("333333");
  });
});
