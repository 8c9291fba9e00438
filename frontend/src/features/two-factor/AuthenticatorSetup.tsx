/**
 * "Use an authenticator app": the new secret (QR code, link and text) and the app's first code, which
 * turns two-factor on. The secret lives only in this component's state: it is gone once the form
 * leaves the page (enabled, Cancel, or another page), and never written to any storage.
 */
import { useState, type FormEvent } from "react";
import { ApiError, cancelTotpSetup, enableTotp, startTotpSetup } from "../../api/client.ts";
import { Alert, CodeField, Status, SubmitOrCancel } from "../../components/ui.tsx";
import type { EnableResult, TotpSetup } from "../../types/api.ts";
import { AuthenticatorKey } from "./AuthenticatorKey.tsx";
import { useOpeningRequest } from "./openingRequest.ts";
import { useSubmit } from "./useSubmit.ts";

export interface AuthenticatorSetupProps {
  /** POST /api/user/two-factor, made by what opened the form (see openingRequest.ts). */
  started: Promise<TotpSetup>;
  onEnabled: (result: EnableResult) => void;
  /** The setup cannot go on (it could not start, or two-factor is already on): the overview says why. */
  onFailed: (error: unknown) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

export function AuthenticatorSetup({
  started,
  onEnabled,
  onFailed,
  onCancel,
  onUnauthorized,
}: AuthenticatorSetupProps) {
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState("");
  const { busy, errors, checkCode, submit } = useSubmit(["code"], onUnauthorized);
  useOpeningRequest(started, setSetup, onFailed);

  function showNewSetup(renewed: TotpSetup): void {
    setCode("");
    setSetup(renewed);
  }

  function confirm(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!checkCode("code", code)) return;
    void submit(
      () => enableTotp(code.trim()),
      onEnabled,
      (error) => {
        if (!(error instanceof ApiError)) return false;
        if (error.code === "setup_expired") {
          // The server answers with a new secret marked `expired`, and the form says why it changed.
          void submit(startTotpSetup, showNewSetup);
          return true;
        }
        if (error.code === "already_enabled") {
          onFailed(error); // finished meanwhile (in another tab, say)
          return true;
        }
        return false;
      },
    );
  }

  function cancel(): void {
    // The server drops the pending secret; should this fail, the next setup shows it again.
    if (setup !== null) void cancelTotpSetup().catch(() => undefined);
    onCancel();
  }

  return (
    <form className="setup" noValidate onSubmit={confirm}>
      <h2>Set up your authenticator app</h2>
      {setup?.expired && <Status>This setup expired; scan the new QR code.</Status>}
      <Alert message={errors.top} />
      {setup === null ? (
        <Status>Creating your secret key…</Status>
      ) : (
        <>
          <AuthenticatorKey setup={setup} />
          <CodeField
            label="Code from your app"
            value={code}
            onChange={setCode}
            error={errors.code}
            disabled={busy}
          />
        </>
      )}
      <SubmitOrCancel label="Enable" onCancel={cancel} disabled={busy || setup === null} />
    </form>
  );
}
