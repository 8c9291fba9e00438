import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as webauthn from "@simplewebauthn/browser";
import * as client from "../../api/client.ts";
import { ApiError } from "../../api/client.ts";
import type { Passkey } from "../../types/api.ts";
import { Passkeys } from "./Passkeys.tsx";

vi.mock("@simplewebauthn/browser", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@simplewebauthn/browser")>();
  return { ...actual, startRegistration: vi.fn(), startAuthentication: vi.fn() };
});

vi.mock("../../api/client.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api/client.ts")>();
  return {
    ...actual,
    getPasskeys: vi.fn(),
    passkeyRegistrationOptions: vi.fn(),
    passkeyAuthenticationOptions: vi.fn(),
    addPasskey: vi.fn(),
    renamePasskey: vi.fn(),
    removePasskey: vi.fn(),
  };
});

const api = vi.mocked(client);
const browser = vi.mocked(webauthn);

const LAPTOP: Passkey = { id: "1", name: "Laptop", created: "2026-12-01T10:00:00Z", lastUsed: null };
const PHONE: Passkey = {
  id: "2",
  name: "Phone",
  created: "2026-12-02T10:00:00Z",
  lastUsed: "2026-12-03T10:00:00Z",
};
const CREATION_OPTIONS = { challenge: "c1" } as unknown as webauthn.PublicKeyCredentialCreationOptionsJSON;
const REQUEST_OPTIONS = { challenge: "c2" } as unknown as webauthn.PublicKeyCredentialRequestOptionsJSON;
const CREATED = { id: "cred" } as unknown as webauthn.RegistrationResponseJSON;
const ASSERTED = { id: "cred" } as unknown as webauthn.AuthenticationResponseJSON;

function renderPasskeys(onUnauthorized = vi.fn()) {
  const onAddedOrRemoved = vi.fn();
  render(
    <StrictMode>
      <Passkeys onUnauthorized={onUnauthorized} onAddedOrRemoved={onAddedOrRemoved} />
    </StrictMode>,
  );
  return { onAddedOrRemoved };
}

function notAllowed(): Error {
  const error = new Error("The operation either timed out or was not allowed.");
  error.name = "NotAllowedError";
  return error;
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("passkeys on the settings page", () => {
  it("lists each passkey with its name, when it was added and when it was last used", async () => {
    api.getPasskeys.mockResolvedValue({ passkeys: [LAPTOP, PHONE] });
    renderPasskeys();
    expect(await screen.findByText("Laptop")).toBeTruthy();
    expect(screen.getByText("Phone")).toBeTruthy();
    expect(screen.getByText(/never used/)).toBeTruthy();
    expect(screen.getByText(/last used/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Rename Laptop" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Remove Phone" })).toBeTruthy();
  });

  it("adds a passkey: the browser creates it from the options, the backend checks and names it", async () => {
    api.getPasskeys.mockResolvedValue({ passkeys: [] });
    api.passkeyRegistrationOptions.mockResolvedValue({ challengeId: "ch-1", publicKey: CREATION_OPTIONS });
    browser.startRegistration.mockResolvedValue(CREATED);
    api.addPasskey.mockResolvedValue({ ...LAPTOP, name: "Work laptop" });
    const { onAddedOrRemoved } = renderPasskeys();
    expect(await screen.findByText("You have no passkeys yet.")).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Name for a new passkey (optional)"), {
      target: { value: " Work laptop " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Add a passkey" }));

    expect(await screen.findByText("Added “Work laptop”.")).toBeTruthy();
    expect(browser.startRegistration).toHaveBeenCalledWith({ optionsJSON: CREATION_OPTIONS });
    expect(api.addPasskey).toHaveBeenCalledWith("ch-1", CREATED, "Work laptop");
    expect(screen.getByText("Work laptop")).toBeTruthy();
    expect(onAddedOrRemoved).toHaveBeenCalledTimes(1); // the two-factor status may have changed
  });

  it("says so when the browser's prompt was closed, and adds nothing", async () => {
    api.getPasskeys.mockResolvedValue({ passkeys: [] });
    api.passkeyRegistrationOptions.mockResolvedValue({ challengeId: "ch-1", publicKey: CREATION_OPTIONS });
    browser.startRegistration.mockRejectedValue(notAllowed());
    renderPasskeys();
    fireEvent.click(await screen.findByRole("button", { name: "Add a passkey" }));

    expect((await screen.findByRole("alert")).textContent).toBe(
      "The passkey prompt was closed or timed out. Try again when you are ready.",
    );
    expect(api.addPasskey).not.toHaveBeenCalled();
  });

  it("shows the auth server's reason when it refuses the new passkey", async () => {
    api.getPasskeys.mockResolvedValue({ passkeys: [] });
    api.passkeyRegistrationOptions.mockResolvedValue({ challengeId: "ch-1", publicKey: CREATION_OPTIONS });
    browser.startRegistration.mockResolvedValue(CREATED);
    const reason = "This passkey request expired or was already answered. Try again.";
    api.addPasskey.mockRejectedValue(new ApiError(422, "passkey_challenge_expired", reason, "credential"));
    renderPasskeys();
    fireEvent.click(await screen.findByRole("button", { name: "Add a passkey" }));
    expect((await screen.findByRole("alert")).textContent).toBe(reason);
  });

  it("renames a passkey", async () => {
    api.getPasskeys.mockResolvedValue({ passkeys: [LAPTOP] });
    api.renamePasskey.mockResolvedValue({ ...LAPTOP, name: "Home laptop" });
    renderPasskeys();
    fireEvent.click(await screen.findByRole("button", { name: "Rename Laptop" }));
    fireEvent.change(screen.getByLabelText("New name"), { target: { value: "Home laptop" } });
    fireEvent.click(screen.getByRole("button", { name: "Save name" }));

    expect(await screen.findByText("Renamed to “Home laptop”.")).toBeTruthy();
    expect(api.renamePasskey).toHaveBeenCalledWith("1", "Home laptop");
  });

  it("removes a passkey only after a passkey answers a fresh challenge", async () => {
    api.getPasskeys.mockResolvedValue({ passkeys: [LAPTOP, PHONE] });
    api.passkeyAuthenticationOptions.mockResolvedValue({ challengeId: "ch-2", publicKey: REQUEST_OPTIONS });
    browser.startAuthentication.mockResolvedValue(ASSERTED);
    api.removePasskey.mockResolvedValue({ passkeys: [PHONE] });
    const { onAddedOrRemoved } = renderPasskeys();
    fireEvent.click(await screen.findByRole("button", { name: "Remove Laptop" }));
    fireEvent.click(screen.getByRole("button", { name: "Confirm with a passkey" }));

    expect(await screen.findByText("Removed “Laptop”.")).toBeTruthy();
    expect(browser.startAuthentication).toHaveBeenCalledWith({ optionsJSON: REQUEST_OPTIONS });
    expect(api.removePasskey).toHaveBeenCalledWith("1", { challengeId: "ch-2", credential: ASSERTED });
    expect(screen.queryByText("Laptop")).toBeNull();
    expect(onAddedOrRemoved).toHaveBeenCalledTimes(1);
  });

  it("removes with a current code instead, and shows a wrong code under the field", async () => {
    api.getPasskeys.mockResolvedValue({ passkeys: [LAPTOP] });
    api.removePasskey.mockRejectedValueOnce(
      new ApiError(422, "invalid_code", "That code is not right; try the current one.", "code"),
    );
    api.removePasskey.mockResolvedValueOnce({ passkeys: [] });
    renderPasskeys();
    fireEvent.click(await screen.findByRole("button", { name: "Remove Laptop" }));

    fireEvent.click(screen.getByRole("button", { name: "Remove with this code" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Enter the 6-digit code.");
    expect(api.removePasskey).not.toHaveBeenCalled();

    const field = screen.getByLabelText("Or a current code");
    fireEvent.change(field, { target: { value: "111 111" } });
    fireEvent.click(screen.getByRole("button", { name: "Remove with this code" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "That code is not right; try the current one.",
    );

    fireEvent.change(field, { target: { value: "222222" } });
    fireEvent.click(screen.getByRole("button", { name: "Remove with this code" }));
    expect(await screen.findByText("You have no passkeys yet.")).toBeTruthy();
    expect(api.removePasskey).toHaveBeenLastCalledWith("1", { code: "222222" });
  });

  it("hands a 401 to the page", async () => {
    api.getPasskeys.mockRejectedValue(new ApiError(401, "unauthorized", "Sign in first."));
    const onUnauthorized = vi.fn();
    renderPasskeys(onUnauthorized);
    await waitFor(() => expect(onUnauthorized).toHaveBeenCalled());
  });
});
