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

/** Whether sign-in asks for more than the password: codes, or a passkey as the second factor. */
export function secondFactorOn(status: TwoFactorStatus): boolean {
  return status.enabled || status.passkey === true;
}

/** "Two-factor authentication: on (authenticator app)" / "... on (passkey)" / "... off" — the /app status line. */
export function statusLine(status: TwoFactorStatus): string {
  if (status.enabled) return `Two-factor authentication: on (${methodLabel(status.method)})`;
  return status.passkey ? "Two-factor authentication: on (passkey)" : "Two-factor authentication: off";
}
