/**
 * A new authenticator app's key: the QR code to scan, a link for an app on this device, and the
 * secret as text with a Copy button. The secret lives only in the caller's state.
 */
import { useId, useState } from "react";
import type { TotpSetup } from "../../types/api.ts";
import { Status } from "../../components/ui.tsx";

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP" (easier to read and type into an app). */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, "").match(/.{1,4}/g) ?? []).join(" ");
}

export function AuthenticatorKey({ setup }: { setup: TotpSetup }) {
  const [copied, setCopied] = useState<string | null>(null);
  const labelId = useId();

  async function copySecret(): Promise<void> {
    try {
      await navigator.clipboard.writeText(setup.secret);
      setCopied("Secret copied.");
    } catch {
      setCopied("Could not copy: select the key and copy it by hand.");
    }
  }

  return (
    <>
      <ol className="steps">
        <li>Scan this QR code with an authenticator app (Google Authenticator, Aegis, 1Password, …).</li>
        <li>Or type the secret key into the app.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <div className="qr">
        <img src={setup.qrDataUrl} alt="QR code for your authenticator app" width={200} height={200} />
        <a className="hint" href={setup.otpauthUrl}>
          Open in an authenticator app on this device
        </a>
      </div>
      <div className="secret">
        <span className="secret-label" id={labelId}>
          Secret key
        </span>
        <code className="secret-value" aria-labelledby={labelId}>
          {groupSecret(setup.secret)}
        </code>
        <button type="button" className="button-small" onClick={() => void copySecret()}>
          Copy secret
        </button>
        {copied && <Status>{copied}</Status>}
      </div>
    </>
  );
}
