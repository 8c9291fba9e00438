/**
 * Recovery codes: the new set, shown once (with a text-file download), and the form that makes a
 * new set after a current code. The codes live only in the settings component's state.
 */
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { CodeField, Status, SubmitOrCancel } from "./ui.tsx";

export function recoveryCodesFile(codes: string[]): string {
  return [
    "Two-factor recovery codes",
    "Each code signs you in once, instead of a code from your app. Keep them somewhere safe.",
    "",
    ...codes,
    "",
  ].join("\n");
}

export function FreshRecoveryCodes({ codes, onSaved }: { codes: string[]; onSaved: () => void }) {
  const href = useMemo(
    () => URL.createObjectURL(new Blob([recoveryCodesFile(codes)], { type: "text/plain" })),
    [codes],
  );
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  return (
    <section className="recovery-codes" aria-labelledby="recovery-codes-heading">
      <h2 id="recovery-codes-heading">Your recovery codes</h2>
      <p className="hint">
        Save these now: they are shown only once. Each one signs you in once if you lose your device.
      </p>
      <ul className="recovery-code-list" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <a className="button" href={href} download="recovery-codes.txt">
          Download recovery codes
        </a>
        <button type="button" className="button-primary" onClick={onSaved}>
          I have saved them
        </button>
      </div>
    </section>
  );
}

interface RegenerateProps {
  busy: boolean;
  error?: string | undefined;
  onSubmit: (code: string) => void;
  onCancel: () => void;
}

export function RegenerateRecoveryCodes({ busy, error, onSubmit, onCancel }: RegenerateProps) {
  const [code, setCode] = useState("");
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    onSubmit(code.trim());
  }
  return (
    <form className="setup" noValidate onSubmit={submit}>
      <h2>New recovery codes</h2>
      <Status>Your current recovery codes stop working when you make new ones.</Status>
      <CodeField
        label="Code from your app"
        value={code}
        onChange={setCode}
        error={error}
        disabled={busy}
        autoFocus
      />
      <SubmitOrCancel label="Regenerate recovery codes" onCancel={onCancel} disabled={busy} />
    </form>
  );
}
