/** "Disable": the password confirms it is the account's owner, then two-factor is off. */
import { useState, type FormEvent } from "react";
import { disableTwoFactor } from "../../api/client.ts";
import { twoFactorDisablePageUrl } from "../../auth/authServer.ts";
import { Alert, PasswordField, SubmitOrCancel } from "../../components/ui.tsx";
import type { TwoFactorStatus } from "../../types/api.ts";
import { useSubmit } from "./useSubmit.ts";

export interface DisableTwoFactorProps {
  onDisabled: (status: TwoFactorStatus) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

export function DisableTwoFactor({ onDisabled, onCancel, onUnauthorized }: DisableTwoFactorProps) {
  const [password, setPassword] = useState("");
  const { busy, errors, setErrors, submit } = useSubmit(["password"], onUnauthorized);

  function confirm(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (password === "") {
      setErrors({ password: "Enter your password." });
      return;
    }
    void submit(() => disableTwoFactor(password), onDisabled);
  }

  return (
    <form className="setup" noValidate onSubmit={confirm}>
      <h2>Turn off two-factor authentication</h2>
      <p className="hint">Enter your password to confirm it is you.</p>
      <Alert message={errors.top} />
      <PasswordField
        label="Password"
        value={password}
        onChange={setPassword}
        error={errors.password}
        disabled={busy}
        autoFocus
      />
      <SubmitOrCancel label="Confirm disable" onCancel={onCancel} disabled={busy} danger />
      <DisableOnAuthServerLink />
    </form>
  );
}

/** Without the password, a code on the auth server's own page turns two-factor off. */
export function DisableOnAuthServerLink() {
  return (
    <p className="hint">
      Forgot your password? <a href={twoFactorDisablePageUrl()}>Disable with a code on the auth server</a>
    </p>
  );
}
