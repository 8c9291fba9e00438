import type { TwoFactorMethod, TwoFactorStatus } from "./types/api.ts";

const METHOD_LABELS: Record<TwoFactorMethod | "webhook", string> = {
  totp: "authenticator app",
  email: "email",
  sms: "text message",
  webhook: "codes sent by the auth server",
};

export function methodLabel(method: TwoFactorMethod | "webhook" | null): string {
  return method ? METHOD_LABELS[method] : "unknown method";
}

/** "Two-factor authentication: on (authenticator app)" / "... off" — the /app status line. */
export function statusLine(status: TwoFactorStatus): string {
  return status.enabled
    ? `Two-factor authentication: on (${methodLabel(status.method)})`
    : "Two-factor authentication: off";
}
