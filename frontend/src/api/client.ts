/**
 * The backend app's HTTP API: one function per endpoint (the app's /openapi.json describes them all).
 * Every request sends cookies (the app_session cookie of the code flow) and, when the implicit
 * flow left one, `Authorization: Bearer <token>`. Mutating requests always carry a JSON body with
 * `Content-Type: application/json`: the backend refuses anything else (its CSRF defence).
 */
import { getAccessToken } from "../auth/storage.ts";
import { getConfig } from "../config.ts";
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import type {
  ApiErrorBody,
  EmailPending,
  EnableRequest,
  EnableResult,
  FreshSecondFactor,
  LoggedOut,
  Me,
  MethodChangeOpened,
  MethodChangeProof,
  NewMethodPending,
  NewTotpSetup,
  Passkey,
  PasskeyList,
  PasskeyOptions,
  RecoveryCodes,
  SmsPending,
  TrustedBrowser,
  TrustedBrowsers,
  TotpSetup,
  TwoFactorStatus,
} from "../types/api.ts";
import { inWords } from "../waitText.ts";

/** A failed call: the backend's {"error": {...}} or a stand-in for network/unexpected answers. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** 429: seconds the server asks to wait (its Retry-After header). */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** A failed call's message, and the form field it belongs under: one of `fields` when the server
 * named it, else null (the message goes at the top of the form). */
export function errorPlacement<F extends string>(
  error: unknown,
  fields: readonly F[],
): { field: F | null; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const named = error instanceof ApiError ? error.field : undefined;
  const field = fields.find((candidate) => candidate === named) ?? null;
  return { field, message };
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = value.error;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

/** An error answer without the backend's {"error": {...}} body (a proxy's, say). */
function unexpectedAnswer(response: Response): ApiError {
  if (response.status === 401) return new ApiError(401, "unauthorized", "Please sign in.");
  const wait = Number(response.headers.get("Retry-After"));
  if (response.status === 429 && Number.isInteger(wait) && wait > 0) {
    return new ApiError(429, "too_many_attempts", `Too many attempts. Try again in ${inWords(wait)}.`);
  }
  return new ApiError(
    response.status,
    "http_error",
    `The server answered ${response.status}. Please try again.`,
  );
}

async function request<T>(method: Method, path: string, body?: object): Promise<{ status: number; data: T }> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init: RequestInit = { method, headers, credentials: "include" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body ?? {});
  }

  let response: Response;
  try {
    response = await fetch(`${getConfig().backendUrl}${path}`, init);
  } catch {
    throw new ApiError(
      0,
      "network_error",
      "Could not reach the server. Check your connection and try again.",
    );
  }

  let data: unknown = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    if (isErrorBody(data)) {
      const { code, message, field } = data.error;
      const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
      throw new ApiError(response.status, code, message, field, retryAfter > 0 ? retryAfter : undefined);
    }
    throw unexpectedAnswer(response);
  }
  if (data === null) {
    throw new ApiError(response.status, "bad_response", "The server sent an unexpected answer.");
  }
  return { status: response.status, data: data as T };
}

/** GET /api/me — 401 (ApiError) when not signed in. */
export async function getMe(): Promise<Me> {
  return (await request<Me>("GET", "/api/me")).data;
}

/** GET /api/user/two-factor */
export async function getTwoFactor(): Promise<TwoFactorStatus> {
  return (await request<TwoFactorStatus>("GET", "/api/user/two-factor")).data;
}

/** POST /api/user/two-factor — starts TOTP setup: the pending secret (the same one while it is
 * pending, so a reload shows the QR code already scanned) and its QR code. */
export async function startTotpSetup(): Promise<TotpSetup> {
  return (await request<TotpSetup>("POST", "/api/user/two-factor", {})).data;
}

/** DELETE /api/user/two-factor/setup {} — Cancel: the pending secret is dropped. */
export async function cancelTotpSetup(): Promise<TwoFactorStatus> {
  return (await request<TwoFactorStatus>("DELETE", "/api/user/two-factor/setup", {})).data;
}

/** PUT /api/user/two-factor {enabled, method:"totp", code} — confirms the app's code. */
export async function enableTotp(code: string): Promise<EnableResult> {
  const body: EnableRequest = { enabled: true, method: "totp", code };
  return (await request<EnableResult>("PUT", "/api/user/two-factor", body)).data;
}

/** PUT /api/user/two-factor {enabled, method:"email"} — 202: a code was emailed. */
export async function sendEmailCode(): Promise<EmailPending> {
  const body: EnableRequest = { enabled: true, method: "email" };
  return (await request<EmailPending>("PUT", "/api/user/two-factor", body)).data;
}

/** PUT /api/user/two-factor {enabled, method:"email", code} — confirms the emailed code. */
export async function enableEmail(code: string): Promise<EnableResult> {
  const body: EnableRequest = { enabled: true, method: "email", code };
  return (await request<EnableResult>("PUT", "/api/user/two-factor", body)).data;
}

/** POST /api/user/two-factor/current-code {} — email/SMS users: 202, a current code was sent; 429 too_soon. */
export async function sendCurrentCode(): Promise<{ sentTo: string }> {
  return (await request<{ sentTo: string }>("POST", "/api/user/two-factor/current-code", {})).data;
}

/** POST /api/user/two-factor/recovery-codes {code} — a new set after a current code. */
export async function regenerateRecoveryCodes(code: string): Promise<RecoveryCodes> {
  return (await request<RecoveryCodes>("POST", "/api/user/two-factor/recovery-codes", { code })).data;
}

/** PUT /api/user/two-factor {enabled, method:"sms", phoneNumber} — 202: a code was texted; 422 field "phoneNumber". */
export async function sendSmsCode(phoneNumber: string): Promise<SmsPending> {
  const body: EnableRequest = { enabled: true, method: "sms", phoneNumber };
  return (await request<SmsPending>("PUT", "/api/user/two-factor", body)).data;
}

/** PUT /api/user/two-factor {enabled, method:"sms", code} — confirms the texted code. */
export async function enableSms(code: string): Promise<EnableResult> {
  const body: EnableRequest = { enabled: true, method: "sms", code };
  return (await request<EnableResult>("PUT", "/api/user/two-factor", body)).data;
}

/** POST /api/user/phone/current-code {} — 202: a current code was texted to the number on file. */
export async function sendCurrentPhoneCode(): Promise<{ sentTo: string }> {
  return (await request<{ sentTo: string }>("POST", "/api/user/phone/current-code", {})).data;
}

/** PUT /api/user/phone {phoneNumber, currentCode} — 202: a code was texted to the new number. */
export async function startPhoneChange(
  phoneNumber: string,
  currentCode: string,
): Promise<{ sentTo: string }> {
  return (await request<{ sentTo: string }>("PUT", "/api/user/phone", { phoneNumber, currentCode })).data;
}

/** PUT /api/user/phone {code} — the new number's code: the number is changed. */
export async function confirmPhoneChange(code: string): Promise<TwoFactorStatus> {
  return (await request<TwoFactorStatus>("PUT", "/api/user/phone", { code })).data;
}

/** POST /api/user/two-factor/change {password} or {code} — opens a change of method for this sign-in. */
export async function openMethodChange(proof: MethodChangeProof): Promise<MethodChangeOpened> {
  return (await request<MethodChangeOpened>("POST", "/api/user/two-factor/change", proof)).data;
}

/** PUT /api/user/two-factor/change {method:"totp"} — the new authenticator app's secret and QR code. */
export async function startNewTotp(): Promise<NewTotpSetup> {
  return (await request<NewTotpSetup>("PUT", "/api/user/two-factor/change", { method: "totp" })).data;
}

/** PUT /api/user/two-factor/change {method:"email"} — 202: a code of the new method was emailed. */
export async function sendNewEmailCode(): Promise<NewMethodPending> {
  return (await request<NewMethodPending>("PUT", "/api/user/two-factor/change", { method: "email" })).data;
}

/** PUT /api/user/two-factor/change {method:"sms", phoneNumber} — 202: a code was texted to the number. */
export async function sendNewSmsCode(phoneNumber: string): Promise<NewMethodPending> {
  const body = { method: "sms", phoneNumber };
  return (await request<NewMethodPending>("PUT", "/api/user/two-factor/change", body)).data;
}

/** POST /api/user/two-factor/change/confirm {code} — the new method replaces the old; new recovery codes. */
export async function confirmMethodChange(code: string): Promise<EnableResult> {
  return (await request<EnableResult>("POST", "/api/user/two-factor/change/confirm", { code })).data;
}

/** DELETE /api/user/two-factor/change {} — drops the change: the method that is on stays on. */
export async function cancelMethodChange(): Promise<TwoFactorStatus> {
  return (await request<TwoFactorStatus>("DELETE", "/api/user/two-factor/change", {})).data;
}

/** DELETE /api/user/two-factor {password} — 422 invalid_password (field "password") when wrong. */
export async function disableTwoFactor(password: string): Promise<TwoFactorStatus> {
  return (await request<TwoFactorStatus>("DELETE", "/api/user/two-factor", { password })).data;
}

/** GET /api/user/passkeys — the signed-in user's passkeys, oldest first. */
export async function getPasskeys(): Promise<PasskeyList> {
  return (await request<PasskeyList>("GET", "/api/user/passkeys")).data;
}

/** POST /api/user/passkeys/options {purpose:"register"} — options for navigator.credentials.create(). */
export async function passkeyRegistrationOptions(): Promise<
  PasskeyOptions<PublicKeyCredentialCreationOptionsJSON>
> {
  const body = { purpose: "register" };
  return (
    await request<PasskeyOptions<PublicKeyCredentialCreationOptionsJSON>>("POST", PASSKEY_OPTIONS, body)
  ).data;
}

/** POST /api/user/passkeys/options {purpose:"authenticate"} — options for navigator.credentials.get(). */
export async function passkeyAuthenticationOptions(): Promise<
  PasskeyOptions<PublicKeyCredentialRequestOptionsJSON>
> {
  const body = { purpose: "authenticate" };
  return (await request<PasskeyOptions<PublicKeyCredentialRequestOptionsJSON>>("POST", PASSKEY_OPTIONS, body))
    .data;
}

const PASSKEY_OPTIONS = "/api/user/passkeys/options";

/** POST /api/user/passkeys {challengeId, credential, name} → 201 — 422 with the auth server's reason. */
export async function addPasskey(
  challengeId: string,
  credential: RegistrationResponseJSON,
  name: string,
): Promise<Passkey> {
  return (await request<Passkey>("POST", "/api/user/passkeys", { challengeId, credential, name })).data;
}

/** PUT /api/user/passkeys/<id> {name} */
export async function renamePasskey(id: string, name: string): Promise<Passkey> {
  return (await request<Passkey>("PUT", `/api/user/passkeys/${encodeURIComponent(id)}`, { name })).data;
}

/** DELETE /api/user/passkeys/<id> {challengeId, credential} or {code} — the passkeys left. */
export async function removePasskey(id: string, proof: FreshSecondFactor): Promise<PasskeyList> {
  return (await request<PasskeyList>("DELETE", `/api/user/passkeys/${encodeURIComponent(id)}`, proof)).data;
}

/** GET /api/user/trusted-browsers — the browsers that skip the code, most recently used first. */
export async function getTrustedBrowsers(): Promise<TrustedBrowser[]> {
  return (await request<TrustedBrowsers>("GET", "/api/user/trusted-browsers")).data.trustedBrowsers;
}

/** DELETE /api/user/trusted-browsers/:id {} — that browser asks for a code again; the ones left. */
export async function revokeTrustedBrowser(id: number): Promise<TrustedBrowser[]> {
  const path = `/api/user/trusted-browsers/${id}`;
  return (await request<TrustedBrowsers>("DELETE", path, {})).data.trustedBrowsers;
}

/** DELETE /api/user/trusted-browsers {} — "Sign out of trusted browsers": each asks for a code again. */
export async function signOutOfTrustedBrowsers(): Promise<TrustedBrowser[]> {
  return (await request<TrustedBrowsers>("DELETE", "/api/user/trusted-browsers", {})).data.trustedBrowsers;
}

/** POST /logout {} — ends the session here and at the auth server. */
export async function logout(): Promise<LoggedOut> {
  return (await request<LoggedOut>("POST", "/logout", {})).data;
}

/** Full-page URLs of the backend app (not fetch calls: they redirect to the auth server). */
export function loginUrl(): string {
  return `${getConfig().backendUrl}/login`;
}

export function signupUrl(): string {
  return `${getConfig().backendUrl}/signup`;
}
