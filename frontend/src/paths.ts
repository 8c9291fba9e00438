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
 * U+0000 to U+001F and U+007F (DEL). Browsers drop tabs and newlines from a URL, so "/\t/evil.example"
 * would be "//evil.example".
 */
function isControlCharacter(character: string): boolean {
  const code = character.charCodeAt(0);
  return code <= 0x1f || code === 0x7f;
}

/**
 * A next URL is followed only when it is a path on this origin: it starts with a single "/"
 * (not "//" or "/\", which browsers treat as another host) and has no control characters.
 */
export function isSafeNextUrl(value: unknown): value is string {
  if (typeof value !== "string" || !value.startsWith("/")) return false;
  if (value.startsWith("//") || value.startsWith("/\\")) return false;
  if ([...value].some(isControlCharacter)) return false;
  try {
    return new URL(value, window.location.origin).origin === window.location.origin;
  } catch {
    return false;
  }
}
