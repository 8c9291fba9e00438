/**
 * Recovery codes: the new set, shown once (to copy, print or download as a text file), and the form
 * that makes a new set after a current code: from the authenticator app, or one the app sends to
 * email and text-message users. The codes live only in the settings component's state.
 */
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { regenerateRecoveryCodes, sendCurrentCode } from "../../api/client.ts";
import {
  Alert,
  CodeField,
  SendNewCodeButton,
  SentCodeField,
  Status,
  SubmitOrCancel,
} from "../../components/ui.tsx";
import type { RecoveryCodes, TwoFactorMethod } from "../../types/api.ts";
import { useSentCode } from "./useSentCode.ts";
import { useSubmit, type Submit } from "./useSubmit.ts";

/** "Demo recovery codes for ann@example.com": the file's first line and the printed page's title. */
export function recoveryCodesTitle({ issuer, account }: RecoveryCodes): string {
  return `${issuer} recovery codes for ${account}`;
}

/** "demo-recovery-codes-ann@example.com.txt": which site and account, readable in a downloads folder. */
export function recoveryCodesFileName({ issuer, account }: RecoveryCodes): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9@._-]+/g, "-");
  return `${safe(issuer).toLowerCase()}-recovery-codes-${safe(account)}.txt`;
}

export function recoveryCodesFile(set: RecoveryCodes): string {
  return [
    recoveryCodesTitle(set),
    "Each code signs you in once, instead of a code from your app. Keep them somewhere safe.",
    "",
    ...set.recoveryCodes,
    "",
  ].join("\n");
}

export function FreshRecoveryCodes({ set, onSaved }: { set: RecoveryCodes; onSaved: () => void }) {
  const text = recoveryCodesFile(set);
  const href = useMemo(() => URL.createObjectURL(new Blob([text], { type: "text/plain" })), [text]);
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  const [copied, setCopied] = useState<string | null>(null);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("Recovery codes copied.");
    } catch {
      setCopied("Could not copy: select the codes and copy them by hand.");
    }
  }

  return (
    <section className="recovery-codes" aria-labelledby="recovery-codes-heading">
      <h2 id="recovery-codes-heading">Your recovery codes</h2>
      <p className="recovery-codes-title">{recoveryCodesTitle(set)}</p>
      <p className="hint">
        Save these now: they are shown only once. Each one signs you in once if you lose your device.
      </p>
      <ul className="recovery-code-list" aria-label="Recovery codes">
        {set.recoveryCodes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        <a className="button" href={href} download={recoveryCodesFileName(set)}>
          Download recovery codes
        </a>
        <button type="button" className="button-primary" onClick={onSaved}>
          I have saved them
        </button>
      </div>
      {copied && <Status>{copied}</Status>}
    </section>
  );
}

interface RegenerateProps {
  method: TwoFactorMethod;
  onRegenerated: (fresh: RecoveryCodes) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

export function RegenerateRecoveryCodes({
  method,
  onRegenerated,
  onCancel,
  onUnauthorized,
}: RegenerateProps) {
  const form = useSubmit(["code"], onUnauthorized);

  function regenerate(code: string): void {
    if (!form.checkCode("code", code)) return;
    void form.submit(() => regenerateRecoveryCodes(code.trim()), onRegenerated);
  }

  const step = { form, onSubmit: regenerate, onCancel };
  return (
    <div className="setup">
      <h2>New recovery codes</h2>
      <Status>Your current recovery codes stop working when you make new ones.</Status>
      <Alert message={form.errors.top} />
      {method === "totp" ? (
        <CodeForm label="Code from your app" {...step} />
      ) : (
        <SentCodeStep method={method} {...step} />
      )}
    </div>
  );
}

interface StepProps {
  form: Submit<"code">;
  onSubmit: (code: string) => void;
  onCancel: () => void;
}

/** The code field and "Regenerate recovery codes"; with `sentTo`, it says where the code was sent. */
function CodeForm({
  label,
  sentTo,
  resent = false,
  form,
  onSubmit,
  onCancel,
}: StepProps & { label: string; sentTo?: string; resent?: boolean }) {
  const [code, setCode] = useState("");
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    onSubmit(code);
  }
  const field = { label, value: code, onChange: setCode, error: form.errors.code, disabled: form.busy };
  return (
    <form noValidate onSubmit={submit}>
      {sentTo === undefined ? (
        <CodeField {...field} autoFocus />
      ) : (
        <SentCodeField sentTo={sentTo} resent={resent} {...field} />
      )}
      <SubmitOrCancel label="Regenerate recovery codes" onCancel={onCancel} disabled={form.busy} />
    </form>
  );
}

/** Email and text-message users: "Send me a code", then the code that came. */
function SentCodeStep({ method, ...props }: StepProps & { method: "email" | "sms" }) {
  const delivery = useSentCode();
  const { busy, submit } = props.form;

  function send(): void {
    void submit(sendCurrentCode, (sent) => delivery.sent(sent.sentTo), delivery.refused);
  }

  if (delivery.sentTo === null) {
    return (
      <div className="actions">
        <button type="button" className="button-primary" onClick={send} disabled={busy}>
          Send me a code
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <>
      {/* A new key per send: the field starts empty for the new code. */}
      <CodeForm
        key={delivery.sends}
        label={method === "email" ? "Code from the email" : "Code from the text message"}
        sentTo={delivery.sentTo}
        resent={delivery.resent}
        {...props}
      />
      <p className="actions">
        <SendNewCodeButton secondsLeft={delivery.secondsLeft} disabled={busy} onClick={send} />
      </p>
    </>
  );
}
