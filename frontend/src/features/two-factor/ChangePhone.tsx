/**
 * Changing the number of an SMS user: a code texted to the current number authorises the change,
 * then a code texted to the new number confirms it (the backend keeps the old number until then).
 */
import { useState, type FormEvent } from "react";
import {
  confirmPhoneChange,
  errorPlacement,
  isUnauthorized,
  sendCurrentPhoneCode,
  startPhoneChange,
} from "../../api/client.ts";
import type { TwoFactorStatus } from "../../types/api.ts";
import { PhoneField } from "./PhoneSetup.tsx";
import { useMounted } from "./useMounted.ts";
import { Alert, SentCodeField, SubmitOrCancel } from "../../components/ui.tsx";

const CODE_PATTERN = /^[0-9]{6}$/;

export interface ChangePhoneProps {
  current: string;
  onChanged: (status: TwoFactorStatus) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

type Step = { kind: "ask" } | { kind: "authorise"; sentTo: string } | { kind: "confirm"; sentTo: string };

interface Errors {
  currentCode?: string;
  phoneNumber?: string;
  code?: string;
  top?: string;
}

export function ChangePhone({ current, onChanged, onCancel, onUnauthorized }: ChangePhoneProps) {
  const [step, setStep] = useState<Step>({ kind: "ask" });
  const [currentCode, setCurrentCode] = useState("");
  const [phoneNumber, setPhoneNumber] = useState("");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const mounted = useMounted();

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
      } else {
        const { field, message } = errorPlacement(error, ["currentCode", "phoneNumber", "code"]);
        setErrors({ [field ?? "top"]: message });
      }
    } finally {
      if (mounted.current) setBusy(false);
    }
  }

  function textCurrentCode(): void {
    void run(async () => {
      const sent = await sendCurrentPhoneCode();
      if (mounted.current) setStep({ kind: "authorise", sentTo: sent.sentTo });
    });
  }

  function submitNewNumber(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!CODE_PATTERN.test(currentCode.trim())) {
      setErrors({ currentCode: "Enter the 6-digit code." });
      return;
    }
    if (phoneNumber.trim() === "") {
      setErrors({ phoneNumber: "Enter your new mobile number, e.g. +1 415 555 0100." });
      return;
    }
    void run(async () => {
      const sent = await startPhoneChange(phoneNumber.trim(), currentCode.trim());
      if (mounted.current) setStep({ kind: "confirm", sentTo: sent.sentTo });
    });
  }

  function submitConfirmation(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!CODE_PATTERN.test(code.trim())) {
      setErrors({ code: "Enter the 6-digit code." });
      return;
    }
    void run(async () => {
      const status = await confirmPhoneChange(code.trim());
      if (mounted.current) onChanged(status);
    });
  }

  const cancel = (
    <button type="button" onClick={onCancel}>
      Cancel
    </button>
  );

  return (
    <div className="setup">
      <h2>Change your phone number</h2>
      <Alert message={errors.top} />
      {step.kind === "ask" && (
        <>
          <p className="hint">First we text a code to your current number, {current}, to check it is you.</p>
          <div className="actions">
            <button type="button" className="button-primary" onClick={textCurrentCode} disabled={busy}>
              Text a code to my current number
            </button>
            {cancel}
          </div>
        </>
      )}
      {step.kind === "authorise" && (
        <form noValidate onSubmit={submitNewNumber}>
          <SentCodeField
            sentTo={step.sentTo}
            label="Code sent to your current number"
            value={currentCode}
            onChange={setCurrentCode}
            error={errors.currentCode}
            disabled={busy}
          />
          <PhoneField
            label="New phone number"
            value={phoneNumber}
            onChange={setPhoneNumber}
            error={errors.phoneNumber}
            disabled={busy}
          />
          <SubmitOrCancel label="Send code" onCancel={onCancel} disabled={busy} />
        </form>
      )}
      {step.kind === "confirm" && (
        <form noValidate onSubmit={submitConfirmation}>
          <SentCodeField
            sentTo={step.sentTo}
            label="Code from the text message"
            value={code}
            onChange={setCode}
            error={errors.code}
            disabled={busy}
          />
          <SubmitOrCancel label="Save number" onCancel={onCancel} disabled={busy} />
        </form>
      )}
    </div>
  );
}
