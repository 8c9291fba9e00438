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
