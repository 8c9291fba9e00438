/**
 * Remove one passkey after a fresh second factor: one of the user's passkeys (any of them, this one
 * included) or a current code when two-factor codes are on. A stolen session alone cannot remove it.
 */
import { useState, type FormEvent } from "react";
import { removePasskey } from "../../api/client.ts";
import { Alert, CodeField, isSixDigitCode } from "../../components/ui.tsx";
import type { Passkey } from "../../types/api.ts";
import { useSubmit } from "../two-factor/useSubmit.ts";
import { passkeyPromptMessage, passkeyProof } from "./ceremony.ts";

export function RemovePasskey({
  passkey,
  onRemoved,
  onCancel,
  onUnauthorized,
}: {
  passkey: Passkey;
  onRemoved: (left: Passkey[]) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}) {
  const [code, setCode] = useState("");
  const { busy, errors, setErrors, submit } = useSubmit(["code", "credential"], onUnauthorized);

  function showPromptFailure(failure: unknown): boolean {
    const message = passkeyPromptMessage(failure);
    if (message) setErrors({ top: message });
    return message !== null;
  }

  function withPasskey(): void {
    void submit(
      async () => removePasskey(passkey.id, await passkeyProof()),
      (left) => onRemoved(left.passkeys),
      showPromptFailure,
    );
  }

  function withCode(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!isSixDigitCode(code)) {
      setErrors({ code: "Enter the 6-digit code." });
      return;
    }
    void submit(
      () => removePasskey(passkey.id, { code }),
      (left) => onRemoved(left.passkeys),
    );
  }

  return (
    <form className="setup" noValidate onSubmit={withCode}>
      <h3>Remove “{passkey.name}”</h3>
      <p className="hint">Confirm it is you: use a passkey, or enter a current two-factor code.</p>
      <Alert message={errors.top ?? errors.credential} />
      <div className="actions">
        <button type="button" className="button-danger" onClick={withPasskey} disabled={busy}>
          Confirm with a passkey
        </button>
      </div>
      <CodeField
        label="Or a current code"
        value={code}
        onChange={setCode}
        error={errors.code}
        disabled={busy}
      />
      <div className="actions">
        <button type="submit" className="button-danger" disabled={busy}>
          Remove with this code
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
