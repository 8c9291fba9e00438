import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Overview } from "./Overview.tsx";

const ON = { enabled: true, method: "totp" as const };

describe("overview", () => {
  it("offers new recovery codes where the backend has them", () => {
    render(<Overview status={{ ...ON, recoveryCodesRemaining: 10 }} onOpen={vi.fn()} />);
    expect(screen.getByRole("button", { name: "Regenerate recovery codes" })).toBeTruthy();
  });

  it("hides recovery codes where the backend says they are unavailable (an Aidbox auth server)", () => {
    render(<Overview status={ON} onOpen={vi.fn()} unavailable={["recoveryCodes", "passkeys"]} />);
    expect(screen.queryByRole("button", { name: "Regenerate recovery codes" })).toBeNull();
    expect(screen.getByRole("button", { name: "Disable" })).toBeTruthy();
  });
});

describe("a passkey as the only second factor", () => {
  it("says two-factor is on with the passkey, and offers codes as another method", () => {
    render(<Overview status={{ enabled: false, method: null, passkey: true }} onOpen={vi.fn()} />);
    const line = screen.getByText(/Two-factor authentication is on \(passkey\)/);
    expect(line.className).toBe("badge badge-on");
    expect(screen.queryByText(/password alone/)).toBeNull();
    for (const name of ["Use an authenticator app", "Email me codes", "Text me codes"]) {
      expect(screen.getByRole("button", { name })).toBeTruthy();
    }
    expect(screen.queryByRole("button", { name: "Disable" })).toBeNull();
  });
});

describe("a transport set at the auth server", () => {
  it("is not shown as the authenticator app, and offers only Disable", () => {
    render(<Overview status={{ enabled: true, method: "webhook" }} onOpen={vi.fn()} />);
    expect(screen.getByText(/codes sent by the auth server/)).toBeTruthy();
    expect(screen.queryByText(/authenticator app/)).toBeNull();
    expect(screen.queryByRole("button", { name: "Change method" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Regenerate recovery codes" })).toBeNull();
    expect(screen.getByRole("button", { name: "Disable" })).toBeTruthy();
  });
});
