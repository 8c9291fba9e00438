/** "Add a passkey": an optional name, then the browser's own prompt (fingerprint, face or PIN). */
import { useState, type FormEvent } from "react";
import { Alert } from "../../components/ui.tsx";
import type { Passkey } from "../../types/api.ts";
import { useSubmit } from "../two-factor/useSubmit.ts";
import { createPasskey, passkeyPromptMessage } from "./ceremony.ts";
import { NameField } from "./NameField.tsx";

export function AddPasskey({
  onAdded,
  onUnauthorized,
}: {
  onAdded: (passkey: Passkey) => void;
  onUnauthorized: () => void;
}) {
  const [name, setName] = useState("");
  const { busy, errors, setErrors, submit } = useSubmit(["name"], onUnauthorized);

  function add(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void submit(
      () => createPasskey(name.trim()),
      (passkey) => {
        setName("");
        onAdded(passkey);
      },
      (failure) => {
        const message = passkeyPromptMessage(failure);
        if (message) setErrors({ top: message });
        return message !== null;
      },
    );
  }

  return (
    <form className="add-passkey" noValidate onSubmit={add}>
      <Alert message={errors.top} />
      <NameField
        label="Name for a new passkey (optional)"
        value={name}
        onChange={setName}
        error={errors.name}
        disabled={busy}
      />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          Add a passkey
        </button>
      </div>
    </form>
  );
}
