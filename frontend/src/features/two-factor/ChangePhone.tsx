/**
 * Changing the number of an SMS user: a code texted to the current number authorises the change,
 * then a code texted to the new number confirms it (the backend keeps the old number until then).
 */
import { useState, type FormEvent } from "react";
import { confirmPhoneChange, sendCurrentPhoneCode, startPhoneChange } from "../../api/client.ts";
import { Alert, SentCodeField, SubmitOrCancel } from "../../components/ui.tsx";
import type { TwoFactorStatus } from "../../types/api.ts";
import { PhoneField } from "./PhoneSetup.tsx";
import { useSubmit } from "./useSubmit.ts";

export interface ChangePhoneProps {
  current: string;
  onChanged: (status: TwoFactorStatus) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

type Step = { kind: "ask" } | { kind: "authorise"; sentTo: string } | { kind: "confirm"; sentTo: string };

export function ChangePhone({ current, onChanged, onCancel, onUnauthorized }: ChangePhoneProps) {
  const [step, setStep] = useState<Step>({ kind: "ask" });
  const [currentCode, setCurrentCode] = useState("");
  const [phoneNumber, setPhoneNumber] = useState("");
  const [code, setCode] = useState("");
  const { busy, errors, setErrors, checkCode, submit } = useSubmit(
    ["currentCode", "phoneNumber", "code"],
    onUnauthorized,
  );

  function textCurrentCode(): void {
    void submit(sendCurrentPhoneCode, (sent) => setStep({ kind: "authorise", sentTo: sent.sentTo }));
  }

  function submitNewNumber(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!checkCode("currentCode", currentCode)) return;
    if (phoneNumber.trim() === "") {
      setErrors({ phoneNumber: "Enter your new mobile number, e.g. +1 415 555 0100." });
      return;
    }
    void submit(
      () => startPhoneChange(phoneNumber.trim(), currentCode.trim()),
      (sent) => setStep({ kind: "confirm", sentTo: sent.sentTo }),
    );
  }

  function submitConfirmation(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!checkCode("code", code)) return;
    void submit(() => confirmPhoneChange(code.trim()), onChanged);
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
