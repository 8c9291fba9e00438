/**
 * "Email me codes": a code goes to the account's address, and that code coming back turns two-factor
 * on. "Send a new code" waits for the server's pause between two codes (RESEND_SECONDS, or what a
 * refusal's Retry-After says).
 */
import { useState, type FormEvent } from "react";
import { ApiError, enableEmail, sendEmailCode } from "../../api/client.ts";
import { Alert, SendNewCodeButton, SentCodeField, Status, SubmitOrCancel } from "../../components/ui.tsx";
import type { EmailPending, EnableResult } from "../../types/api.ts";
import { useOpeningRequest } from "./openingRequest.ts";
import { useSentCode } from "./useSentCode.ts";
import { useSubmit } from "./useSubmit.ts";

export interface EmailSetupProps {
  /** The first code's PUT /api/user/two-factor, made by what opened the form (see openingRequest.ts). */
  firstSend: Promise<EmailPending>;
  onEnabled: (result: EnableResult) => void;
  /** The setup cannot go on (no code could be sent, or two-factor is already on): the overview says why. */
  onFailed: (error: unknown) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

export function EmailSetup({ firstSend, onEnabled, onFailed, onCancel, onUnauthorized }: EmailSetupProps) {
  const delivery = useSentCode();
  const [code, setCode] = useState("");
  const { busy, errors, checkCode, submit } = useSubmit(["code"], onUnauthorized);

  function codeSent(pending: EmailPending): void {
    setCode("");
    delivery.sent(pending.sentTo);
  }
  useOpeningRequest(firstSend, codeSent, onFailed);

  /** A refusal (429: too soon) keeps the form and the code already sent. */
  function sendAgain(): void {
    void submit(sendEmailCode, codeSent, delivery.refused);
  }

  function confirm(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!checkCode("code", code)) return;
    void submit(
      () => enableEmail(code.trim()),
      onEnabled,
      (error) => {
        if (!(error instanceof ApiError && error.code === "already_enabled")) return false;
        onFailed(error); // finished meanwhile (in another tab, say)
        return true;
      },
    );
  }

  return (
    <form className="setup" noValidate onSubmit={confirm}>
      <h2>Get codes by email</h2>
      <Alert message={errors.top} />
      {delivery.sentTo === null ? (
        <Status>Sending you a code…</Status>
      ) : (
        <SentCodeField
          sentTo={delivery.sentTo}
          resent={delivery.resent}
          label="Code from the email"
          value={code}
          onChange={setCode}
          error={errors.code}
          disabled={busy}
        />
      )}
      <SubmitOrCancel label="Enable" onCancel={onCancel} disabled={busy || delivery.sentTo === null} />
      {delivery.sentTo !== null && (
        <p className="actions">
          <SendNewCodeButton secondsLeft={delivery.secondsLeft} disabled={busy} onClick={sendAgain} />
        </p>
      )}
    </form>
  );
}
