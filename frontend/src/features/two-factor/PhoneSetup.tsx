/**
 * "Text me codes": ask for a phone number, text a code to it, and turn two-factor on once that code
 * comes back. The backend checks the number (E.164) and answers which masked number it texted.
 * Changing the method to text messages (ChangeMethod) uses the same steps with its own two calls.
 */
import { useId, useState, type FormEvent } from "react";
import { enableSms, sendSmsCode } from "../../api/client.ts";
import { Alert, SendNewCodeButton, SentCodeField, SubmitOrCancel } from "../../components/ui.tsx";
import type { EnableResult } from "../../types/api.ts";
import { useSentCode } from "./useSentCode.ts";
import { useSubmit } from "./useSubmit.ts";

export interface PhoneSetupProps {
  /** Texts a code to the number; by default the setup of two-factor while it is off. */
  sendCode?: (phoneNumber: string) => Promise<{ sentTo: string }>;
  /** Checks the texted code; by default it turns two-factor on. */
  confirmCode?: (code: string) => Promise<EnableResult>;
  confirmLabel?: string;
  onEnabled: (result: EnableResult) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

export function PhoneSetup({
  sendCode = sendSmsCode,
  confirmCode = enableSms,
  confirmLabel = "Enable",
  onEnabled,
  onCancel,
  onUnauthorized,
}: PhoneSetupProps) {
  const [phoneNumber, setPhoneNumber] = useState("");
  const delivery = useSentCode();
  const [code, setCode] = useState("");
  const { busy, errors, setErrors, checkCode, submit } = useSubmit(["phoneNumber", "code"], onUnauthorized);

  function send(event?: FormEvent<HTMLFormElement>): void {
    event?.preventDefault();
    if (phoneNumber.trim() === "") {
      setErrors({ phoneNumber: "Enter your mobile number, e.g. +1 415 555 0100." });
      return;
    }
    void submit(
      () => sendCode(phoneNumber.trim()),
      (pending) => {
        setCode("");
        delivery.sent(pending.sentTo);
      },
      delivery.refused,
    );
  }

  function confirm(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!checkCode("code", code)) return;
    void submit(() => confirmCode(code.trim()), onEnabled);
  }

  if (delivery.sentTo === null) {
    return (
      <form className="setup" noValidate onSubmit={send}>
        <h2>Get codes by text message</h2>
        <Alert message={errors.top} />
        <PhoneField
          value={phoneNumber}
          onChange={setPhoneNumber}
          error={errors.phoneNumber}
          disabled={busy}
        />
        <SubmitOrCancel label="Send code" onCancel={onCancel} disabled={busy} />
      </form>
    );
  }
  return (
    <form className="setup" noValidate onSubmit={confirm}>
      <h2>Get codes by text message</h2>
      <Alert message={errors.top} />
      <SentCodeField
        sentTo={delivery.sentTo}
        resent={delivery.resent}
        label="Code from the text message"
        value={code}
        onChange={setCode}
        error={errors.code}
        disabled={busy}
      />
      <SubmitOrCancel label={confirmLabel} onCancel={onCancel} disabled={busy} />
      <p className="actions">
        <SendNewCodeButton secondsLeft={delivery.secondsLeft} disabled={busy} onClick={() => send()} />
        <button
          type="button"
          className="button-link"
          onClick={() => {
            setErrors({});
            delivery.reset();
          }}
          disabled={busy}
        >
          Use another number
        </button>
      </p>
    </form>
  );
}

interface PhoneFieldProps {
  label?: string;
  autoFocus?: boolean;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  disabled: boolean;
}

export function PhoneField({
  label = "Phone number",
  autoFocus = false,
  value,
  onChange,
  error,
  disabled,
}: PhoneFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={hintId}>
        Your mobile number with + and the country code, e.g. +1 415 555 0100.
      </p>
      <input
        id={id}
        name="phoneNumber"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        maxLength={40}
        required
        autoFocus={autoFocus}
        disabled={disabled}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
      />
      <Alert message={error} id={errorId} />
    </div>
  );
}
