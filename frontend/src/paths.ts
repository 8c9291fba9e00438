/** Every route of the single-page app, in one place. */
export const paths = {
  signIn: "/signin",
  implicitLanding: "/auth",
  twoFactorPrompt: "/two-factor",
  home: "/app",
  twoFactorSettings: "/settings/two-factor",
} as const;

/** What the settings page starts with when the /two-factor prompt sends the user there. */
export type SetupStart = "totp" | "email" | "sms";

export function twoFactorSettingsPath(start?: SetupStart): string {
  return start ? `${paths.twoFactorSettings}?setup=${start}` : paths.twoFactorSettings;
}

/**
 * A next URL is followed only when it is a path on this origin: it starts with a single "/"
 * (not "//" or "/\", which browsers treat as another host) and has no control characters.
 */
export function isSafeNextUrl(value: unknown): value is string {
  if (typeof value !== "string" || !value.startsWith("/")) return false;
  if (value.startsWith("//") || value.startsWith("/\\")) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return false;
  try {
    return new URL(value, window.location.origin).origin === window.location.origin;
  } catch {
    return false;
  }
}
