/** Rename one passkey ("Work laptop"); an empty name is kept as "Passkey". */
import { useState, type FormEvent } from "react";
import { renamePasskey } from "../../api/client.ts";
import { Alert, SubmitOrCancel } from "../../components/ui.tsx";
import type { Passkey } from "../../types/api.ts";
import { useSubmit } from "../two-factor/useSubmit.ts";
import { NameField } from "./NameField.tsx";

export function RenamePasskey({
  passkey,
  onRenamed,
  onCancel,
  onUnauthorized,
}: {
  passkey: Passkey;
  onRenamed: (passkey: Passkey) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}) {
  const [name, setName] = useState(passkey.name);
  const { busy, errors, submit } = useSubmit(["name"], onUnauthorized);

  function save(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void submit(() => renamePasskey(passkey.id, name.trim()), onRenamed);
  }

  return (
    <form className="setup" noValidate onSubmit={save}>
      <Alert message={errors.top} />
      <NameField
        label="New name"
        value={name}
        onChange={setName}
        error={errors.name}
        disabled={busy}
        autoFocus
      />
      <SubmitOrCancel label="Save name" onCancel={onCancel} disabled={busy} />
    </form>
  );
}
