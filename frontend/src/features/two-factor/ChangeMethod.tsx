/**
 * "Change method": switch two-factor to another method without turning it off. The password (or a
 * current code) opens the change, the new method is set up beside the old one, and only a code of the
 * new method swaps them: until then the backend keeps the old method on, so Cancel, a wrong code or
 * leaving halfway changes nothing. The new secret lives only in this component's state.
 */
import { useState, type FormEvent } from "react";
import {
  ApiError,
  cancelMethodChange,
  confirmMethodChange,
  openMethodChange,
  sendCurrentCode,
  sendNewEmailCode,
  sendNewSmsCode,
  startNewTotp,
} from "../../api/client.ts";
import { Alert, CodeField, PasswordField, SentCodeField, SubmitOrCancel } from "../../components/ui.tsx";
import { methodLabel } from "../../twoFactorText.ts";
import type { EnableResult, TotpSetup, TwoFactorMethod } from "../../types/api.ts";
import { AuthenticatorKey } from "./AuthenticatorKey.tsx";
import { PhoneSetup } from "./PhoneSetup.tsx";
import { useSubmit } from "./useSubmit.ts";

export interface ChangeMethodProps {
  /** The method that is on; it stays on until the new one is confirmed. */
  current: TwoFactorMethod;
  /** The new method is on; the answer carries the new recovery codes. */
  onChanged: (result: EnableResult) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

type Step =
  | { kind: "password" }
  // sentTo: where a current code went (email and SMS); an authenticator app shows its own.
  | { kind: "currentCode"; sentTo: string | null }
  | { kind: "choose" }
  | { kind: "totp"; setup: TotpSetup }
  | { kind: "email"; sentTo: string }
  | { kind: "sms" };

export function ChangeMethod({ current, onChanged, onCancel, onUnauthorized }: ChangeMethodProps) {
  const [step, setStep] = useState<Step>({ kind: "password" });
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const { busy, errors, setErrors, checkCode, submit } = useSubmit(["password", "code"], onUnauthorized);
  const changeOpen = step.kind !== "password" && step.kind !== "currentCode";

  function go(next: Step): void {
    setErrors({});
    setCode("");
    setStep(next);
  }

  function askProofAgainIfClosed(error: unknown): false {
    // Expired, or too many wrong codes: confirm it is you again.
    if (error instanceof ApiError && error.code === "change_not_open") setStep({ kind: "password" });
    return false; // the server's message is shown either way
  }

  /** Cancel drops an open change on the server too (it would expire there anyway). */
  function cancel(): void {
    if (changeOpen) void cancelMethodChange().catch(() => undefined);
    onCancel();
  }

  function submitProof(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (step.kind === "password" && password === "") {
      setErrors({ password: "Enter your password." });
      return;
    }
    if (step.kind === "currentCode" && !checkCode("code", code)) return;
    const proof = step.kind === "password" ? { password } : { code: code.trim() };
    void submit(
      () => openMethodChange(proof),
      () => {
        setPassword("");
        go({ kind: "choose" });
      },
      askProofAgainIfClosed,
    );
  }

  function sendCode(): void {
    void submit(
      sendCurrentCode,
      (sent) => go({ kind: "currentCode", sentTo: sent.sentTo }),
      askProofAgainIfClosed,
    );
  }

  function chooseTotp(): void {
    void submit(startNewTotp, (setup) => go({ kind: "totp", setup }), askProofAgainIfClosed);
  }

  function chooseEmail(): void {
    void submit(
      sendNewEmailCode,
      (sent) => go({ kind: "email", sentTo: sent.sentTo }),
      askProofAgainIfClosed,
    );
  }

  function submitNewCode(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!checkCode("code", code)) return;
    void submit(() => confirmMethodChange(code.trim()), onChanged, askProofAgainIfClosed);
  }

  if (step.kind === "sms") {
    return (
      <PhoneSetup
        sendCode={sendNewSmsCode}
        confirmCode={confirmMethodChange}
        confirmLabel="Switch"
        onEnabled={onChanged}
        onCancel={cancel}
        onUnauthorized={onUnauthorized}
      />
    );
  }

  const codeField = (label: string) => ({
    label,
    value: code,
    onChange: setCode,
    error: errors.code,
    disabled: busy,
  });

  return (
    <div className="setup">
      <h2>Change your two-factor method</h2>
      <Alert message={errors.top} />
      {step.kind === "password" && (
        <form noValidate onSubmit={submitProof}>
          <p className="hint">
            Two-factor authentication stays on ({methodLabel(current)}) until the new method is confirmed.
            First, confirm it is you.
          </p>
          <PasswordField
            label="Password"
            value={password}
            onChange={setPassword}
            error={errors.password}
            disabled={busy}
            autoFocus
          />
          <SubmitOrCancel label="Continue" onCancel={cancel} disabled={busy} />
          <button
            type="button"
            className="button-link"
            onClick={() => go({ kind: "currentCode", sentTo: null })}
            disabled={busy}
          >
            Use a code instead
          </button>
        </form>
      )}

      {step.kind === "currentCode" && (
        <form noValidate onSubmit={submitProof}>
          {current === "totp" && <CodeField {...codeField("Code from your app")} autoFocus />}
          {current !== "totp" && step.sentTo === null && (
            <div className="actions">
              <button type="button" onClick={sendCode} disabled={busy} autoFocus>
                {current === "email" ? "Email me a code" : "Text me a code"}
              </button>
            </div>
          )}
          {step.sentTo !== null && <SentCodeField sentTo={step.sentTo} {...codeField("Code we sent you")} />}
          <SubmitOrCancel
            label="Continue"
            onCancel={cancel}
            disabled={busy || (current !== "totp" && step.sentTo === null)}
          />
          <button
            type="button"
            className="button-link"
            onClick={() => go({ kind: "password" })}
            disabled={busy}
          >
            Use your password instead
          </button>
        </form>
      )}

      {step.kind === "choose" && (
        <>
          <p className="hint">
            Choose the new method. Until you confirm it, you sign in as now ({methodLabel(current)}).
          </p>
          <div className="actions actions-stacked">
            <button type="button" className="button-primary" onClick={chooseTotp} disabled={busy} autoFocus>
              Use an authenticator app
            </button>
            <button type="button" onClick={chooseEmail} disabled={busy}>
              Email me codes
            </button>
            <button type="button" onClick={() => go({ kind: "sms" })} disabled={busy}>
              Text me codes
            </button>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </div>
        </>
      )}

      {step.kind === "totp" && (
        <form noValidate onSubmit={submitNewCode}>
          <AuthenticatorKey setup={step.setup} />
          <CodeField {...codeField("Code from your app")} autoFocus />
          <SubmitOrCancel label="Switch" onCancel={cancel} disabled={busy} />
        </form>
      )}

      {step.kind === "email" && (
        <form noValidate onSubmit={submitNewCode}>
          <SentCodeField sentTo={step.sentTo} {...codeField("Code from the email")} />
          <SubmitOrCancel label="Switch" onCancel={cancel} disabled={busy} />
          <button type="button" className="button-link" onClick={chooseEmail} disabled={busy}>
            Send a new code
          </button>
        </form>
      )}
    </div>
  );
}
