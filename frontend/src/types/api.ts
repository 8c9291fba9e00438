/** Mirrors the JSON of the backend app's API: its OpenAPI 3 document, served at the app's /openapi.json. */

export type TwoFactorMethod = "totp" | "email" | "sms";

/** What only the bundled auth server offers: with AUTH_SERVER_KIND=aidbox the backend lists them as unavailable. */
export type Feature = "recoveryCodes" | "passkeys" | "trustedBrowsers";

/** GET /api/user/two-factor, and the 200 answers of PUT/DELETE /api/user/two-factor. */
export interface TwoFactorStatus {
  enabled: boolean;
  /** "webhook": a transport of another name, set at the auth server (the code goes to its webhook). */
  method: TwoFactorMethod | "webhook" | null;
  /** Method "sms": where the codes go, masked ("+1 ••• ••• 0100"). */
  phone?: string;
  /**
   * Only while codes are off: the auth server asks for one of the user's passkeys after the password
   * (its policy requires a second factor), so the passkey is the second factor.
   */
  passkey?: true;
  /** GET only: unused recovery codes left (0 while two-factor is off). */
  recoveryCodesRemaining?: number | undefined;
  /** GET only: an authenticator-app setup waits for its code (a reload reopens it). */
  pendingSetup?: "totp";
  /** GET only: two-factor is off and the auth server's policy requires it (no "Skip for now"). */
  required?: true;
  /** GET only, AUTH_SERVER_KIND=aidbox only: the features not to offer. */
  unavailable?: Feature[];
}

/** POST /api/user/two-factor/recovery-codes {code}: a new set; the old codes stop working. */
export interface RecoveryCodes {
  recoveryCodes: string[];
  /** The site (AuthConfig issuerName, e.g. "Demo") and the account the codes belong to. */
  issuer: string;
  account: string;
}

/** PUT /api/user/two-factor 200: the status, and the recovery codes (shown this once). */
export interface EnableResult extends TwoFactorStatus, Partial<RecoveryCodes> {}

/** GET /api/me */
export interface Me {
  id: string;
  email: string;
  twoFactor: TwoFactorStatus;
  /** AUTH_SERVER_KIND=aidbox only: the features not to offer (the page hides them). */
  unavailable?: Feature[];
}

/** POST /api/user/two-factor: a pending TOTP secret (2FA stays off until confirmed with a code). */
export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
  /** A new secret replaced a setup that expired. */
  expired?: boolean;
}

/** PUT /api/user/two-factor {enabled:true, method:"email"} → 202: a code was sent. */
export interface EmailPending {
  enabled: false;
  method: "email";
  pending: true;
  sentTo: string;
}

/** PUT /api/user/two-factor {enabled:true, method:"sms", phoneNumber} → 202: a text message was sent. */
export interface SmsPending {
  enabled: false;
  method: "sms";
  pending: true;
  sentTo: string;
}

/** PUT /api/user/two-factor */
export type EnableRequest =
  | { enabled: true; method: "totp"; code: string }
  | { enabled: true; method: "email"; code?: string }
  | { enabled: true; method: "sms"; phoneNumber: string }
  | { enabled: true; method: "sms"; code: string };

/** POST /api/user/two-factor/change: the password or a current code of the method that is on. */
export type MethodChangeProof = { password: string } | { code: string };

/** POST /api/user/two-factor/change → 200: this sign-in may set up a new method for `expiresIn` s. */
export interface MethodChangeOpened {
  expiresIn: number;
}

/** PUT /api/user/two-factor/change {method:"totp"}: the new app's secret (the old method stays on). */
export interface NewTotpSetup extends TotpSetup {
  method: "totp";
}

/** PUT /api/user/two-factor/change {method:"email"|"sms"} → 202: a code of the new method was sent. */
export interface NewMethodPending {
  method: "email" | "sms";
  pending: true;
  sentTo: string;
}

/** One of the user's passkeys in GET /api/user/passkeys (ISO 8601 dates; lastUsed null until used). */
export interface Passkey {
  id: string;
  name: string;
  created: string;
  lastUsed: string | null;
}

/** GET /api/user/passkeys, and DELETE /api/user/passkeys/<id> (what is left). */
export interface PasskeyList {
  passkeys: Passkey[];
}

/** POST /api/user/passkeys/options: WebAuthn options as JSON, and the handle to answer them with. */
export interface PasskeyOptions<O> {
  challengeId: string;
  publicKey: O;
}

/** DELETE /api/user/passkeys/<id>: a fresh second factor, a passkey's answer or a current code. */
export type FreshSecondFactor = { challengeId: string; credential: object } | { code: string };

/** POST /logout */
export interface LoggedOut {
  loggedOut: true;
}

/** Every error: {"error": {"code", "message", "field"?}} with a 4xx status. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

/** A browser where the user ticked "Don't ask again on this browser" at the code step. */
export interface TrustedBrowser {
  id: number;
  /** From its User-Agent, e.g. "Chrome on Linux". */
  label: string;
  /** ISO 8601 times: when it was trusted, its last login without a code, when it asks again. */
  created: string;
  lastUsed: string;
  expires: string;
}

/** GET /api/user/trusted-browsers */
export interface TrustedBrowsers {
  trustedBrowsers: TrustedBrowser[];
}
