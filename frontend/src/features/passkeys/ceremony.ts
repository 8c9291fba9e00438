/**
 * The browser's side of a passkey: ask the backend for WebAuthn options, let the browser talk to the
 * authenticator (@simplewebauthn/browser turns the JSON options into the binary API and back), and
 * hand back what the backend checks. The user's fingerprint, face or PIN never leaves the device.
 */
import { startAuthentication, startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import { addPasskey, passkeyAuthenticationOptions, passkeyRegistrationOptions } from "../../api/client.ts";
import type { FreshSecondFactor, Passkey } from "../../types/api.ts";

/** Creates a passkey on this device (or a security key / phone) and registers it under `name`. */
export async function createPasskey(name: string): Promise<Passkey> {
  const { challengeId, publicKey } = await passkeyRegistrationOptions();
  const credential = await startRegistration({ optionsJSON: publicKey });
  return addPasskey(challengeId, credential, name);
}

/** One of the user's passkeys answers a fresh challenge: the proof for removing a passkey. */
export async function passkeyProof(): Promise<FreshSecondFactor> {
  const { challengeId, publicKey } = await passkeyAuthenticationOptions();
  const credential = await startAuthentication({ optionsJSON: publicKey });
  return { challengeId, credential };
}

/** What to tell the user when the browser's passkey prompt failed; null for anything else. */
export function passkeyPromptMessage(error: unknown): string | null {
  if (error instanceof WebAuthnError && error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return "This device already holds a passkey for your account.";
  }
  const name = error instanceof Error ? error.name : "";
  if (name === "NotAllowedError") {
    return "The passkey prompt was closed or timed out. Try again when you are ready.";
  }
  if (error instanceof WebAuthnError || name === "NotSupportedError" || name === "SecurityError") {
    return "This browser or device could not use a passkey here.";
  }
  return null;
}
