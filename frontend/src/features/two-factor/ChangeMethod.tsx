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
  errorPlacement,
  isUnauthorized,
  openMethodChange,
  sendCurrentCode,
  sendNewEmailCode,
  sendNewSmsCode,
  startNewTotp,
} from "../../api/client.ts";
import { methodLabel } from "../../twoFactorText.ts";
import type { EnableResult, TotpSetup, TwoFactorMethod } from "../../types/api.ts";
import { AuthenticatorKey } from "./AuthenticatorKey.tsx";
import { PhoneSetup } from "./PhoneSetup.tsx";
import { useMounted } from "./useMounted.ts";
import { Alert, CodeField, PasswordField, SentCodeField, SubmitOrCancel } from "../../components/ui.tsx";

const CODE_PATTERN = /^[0-9]{6}$/;

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

interface Errors {
  password?: string;
  code?: string;
  top?: string;
}

export function ChangeMethod({ current, onChanged, onCancel, onUnauthorized }: ChangeMethodProps) {
  const [step, setStep] = useState<Step>({ kind: "password" });
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const mounted = useMounted();
  const changeOpen = step.kind !== "password" && step.kind !== "currentCode";

  function go(next: Step): void {
    setErrors({});
    setCode("");
    setStep(next);
  }

  /** Runs a call with the busy flag, putting its error under its field or at the top. */
  async function run(call: () => Promise<void>): Promise<void> {
    setErrors({});
    setBusy(true);
    try {
      await call();
    } catch (error) {
      if (!mounted.current) return;
      if (isUnauthorized(error)) {
        onUnauthorized();
        return;
      }
      const { field, message } = errorPlacement(error, ["password", "code"]);
      if (error instanceof ApiError && error.code === "change_not_open") {
        // Expired, or too many wrong codes: confirm it is you again.
        setStep({ kind: "password" });
      }
      setErrors({ [field ?? "top"]: message });
    } finally {
      if (mounted.current) setBusy(false);
    }
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
    if (step.kind === "currentCode" && !CODE_PATTERN.test(code.trim())) {
      setErrors({ code: "Enter the 6-digit code." });
      return;
    }
    const proof = step.kind === "password" ? { password } : { code: code.trim() };
    void run(async () => {
      await openMethodChange(proof);
      if (!mounted.current) return;
      setPassword("");
      go({ kind: "choose" });
    });
  }

  function sendCode(): void {
    void run(async () => {
      const sent = await sendCurrentCode();
      if (mounted.current) go({ kind: "currentCode", sentTo: sent.sentTo });
    });
  }

  function chooseTotp(): void {
    void run(async () => {
      const setup = await startNewTotp();
      if (mounted.current) go({ kind: "totp", setup });
    });
  }

  function chooseEmail(): void {
    void run(async () => {
      const sent = await sendNewEmailCode();
      if (mounted.current) go({ kind: "email", sentTo: sent.sentTo });
    });
  }

  function submitNewCode(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!CODE_PATTERN.test(code.trim())) {
      setErrors({ code: "Enter the 6-digit code." });
      return;
    }
    void run(async () => {
      const result = await confirmMethodChange(code.trim());
      if (mounted.current) onChanged(result);
    });
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
