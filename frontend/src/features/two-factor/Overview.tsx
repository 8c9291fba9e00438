/** The settings' resting view: whether two-factor is on, and a button for each thing to do next. */
import { methodLabel } from "../../twoFactorText.ts";
import type { Feature, TwoFactorStatus } from "../../types/api.ts";
import { DisableOnAuthServerLink } from "./DisableTwoFactor.tsx";

/** What the overview's buttons open. */
export type Flow = "totp" | "email" | "sms" | "changePhone" | "changeMethod" | "disable" | "regenerate";

interface OverviewProps {
  status: TwoFactorStatus;
  onOpen: (flow: Flow) => void;
  /** Features the backend cannot offer (an Aidbox auth server): their buttons are left out. */
  unavailable?: Feature[] | undefined;
}

export function Overview({ status, onOpen, unavailable = [] }: OverviewProps) {
  const delivered = status.method === "webhook";
  if (status.enabled) {
    return (
      <>
        <p className="badge badge-on">Two-factor authentication is on ({methodLabel(status.method)}).</p>
        {status.phone && <p className="hint">Codes are texted to {status.phone}.</p>}
        {status.recoveryCodesRemaining !== undefined && (
          <p className="hint">Recovery codes left: {status.recoveryCodesRemaining}</p>
        )}
        {/* A transport set at the auth server ("webhook"): this page cannot send or check its codes. */}
        {!unavailable.includes("recoveryCodes") && !delivered && (
          <div className="actions">
            <button type="button" onClick={() => onOpen("regenerate")}>
              Regenerate recovery codes
            </button>
          </div>
        )}
        <div className="actions">
          {!delivered && (
            <button type="button" onClick={() => onOpen("changeMethod")}>
              Change method
            </button>
          )}
          {status.phone && (
            <button type="button" onClick={() => onOpen("changePhone")}>
              Change number
            </button>
          )}
          <button type="button" className="button-danger" onClick={() => onOpen("disable")}>
            Disable
          </button>
        </div>
        <DisableOnAuthServerLink />
      </>
    );
  }
  if (status.passkey) {
    return (
      <>
        <p className="badge badge-on">
          Two-factor authentication is on (passkey): after your password, you confirm with your passkey.
        </p>
        <p className="hint">Add codes as another way to confirm, for when your passkey is not at hand.</p>
        <CodeMethods onOpen={onOpen} />
      </>
    );
  }
  return (
    <>
      <p className="badge badge-off">Two-factor authentication is off: your password alone signs you in.</p>
      <p className="hint">Choose where your sign-in codes come from.</p>
      <CodeMethods onOpen={onOpen} />
    </>
  );
}

/** A button for each way of getting codes, to set one up. */
function CodeMethods({ onOpen }: { onOpen: (flow: Flow) => void }) {
  return (
    <div className="actions actions-stacked">
      <button type="button" className="button-primary" onClick={() => onOpen("totp")}>
        Use an authenticator app
      </button>
      <button type="button" onClick={() => onOpen("email")}>
        Email me codes
      </button>
      <button type="button" onClick={() => onOpen("sms")}>
        Text me codes
      </button>
    </div>
  );
}
