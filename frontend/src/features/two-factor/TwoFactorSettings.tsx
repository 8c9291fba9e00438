/**
 * The two-factor settings: shows the current state and walks through enabling (authenticator app
 * or emailed codes) and disabling (password). The TOTP secret and QR code live only in this
 * component's state while setup is open: they are dropped on success, on Cancel and on unmount,
 * and never written to any storage.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import {
  ApiError,
  cancelTotpSetup,
  disableTwoFactor,
  enableEmail,
  enableTotp,
  errorPlacement,
  getTwoFactor,
  isUnauthorized,
  regenerateRecoveryCodes,
  sendEmailCode,
  startTotpSetup,
} from "../../api/client.ts";
import { twoFactorDisablePageUrl } from "../../auth/authServer.ts";
import type { SetupStart } from "../../paths.ts";
import { methodLabel } from "../../twoFactorText.ts";
import type { EnableResult, RecoveryCodes, TotpSetup, TwoFactorStatus } from "../../types/api.ts";
import { ChangeMethod } from "./ChangeMethod.tsx";
import { ChangePhone } from "./ChangePhone.tsx";
import { PhoneSetup } from "./PhoneSetup.tsx";
import { FreshRecoveryCodes, RegenerateRecoveryCodes } from "./RecoveryCodes.tsx";
import { useMounted } from "./useMounted.ts";
import {
  Alert,
  CodeField,
  PageHeading,
  PasswordField,
  RESEND_SECONDS,
  SendNewCodeButton,
  SentCodeField,
  Status,
  SubmitOrCancel,
  useCountdown,
} from "../../components/ui.tsx";

type Mode =
  | { kind: "loading" }
  | { kind: "loadFailed" }
  | { kind: "overview" }
  | { kind: "totp"; setup: TotpSetup | null } // null while POST is in flight
  | { kind: "email"; sentTo: string | null; sends: number } // sentTo null while the first code is sent
  | { kind: "sms" }
  | { kind: "changePhone"; current: string }
  | { kind: "changeMethod" }
  | { kind: "disable" }
  | { kind: "regenerate" };

interface FieldErrors {
  code?: string;
  password?: string;
}

const CODE_PATTERN = /^[0-9]{6}$/;

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP" (easier to read and type into an app). */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, "").match(/.{1,4}/g) ?? []).join(" ");
}

/** An enable answer as the status it leaves, and the new recovery codes it carries (if any). */
function splitEnableResult({ recoveryCodes, issuer, account, ...status }: EnableResult) {
  const fresh = recoveryCodes && issuer !== undefined && account !== undefined;
  return {
    status: { ...status, recoveryCodesRemaining: recoveryCodes?.length },
    codes: fresh ? { recoveryCodes, issuer, account } : null,
  };
}

export interface TwoFactorSettingsProps {
  /** Start a setup right away (coming from the /two-factor prompt). */
  start?: SetupStart | null;
  /** Called once the `start` request has been consumed (the page removes it from the URL). */
  onStartConsumed?: () => void;
  /** Called when the backend answers 401 (session ended). */
  onUnauthorized: () => void;
}

export function TwoFactorSettings({ start = null, onStartConsumed, onUnauthorized }: TwoFactorSettingsProps) {
  const [mode, setMode] = useState<Mode>({ kind: "loading" });
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [topError, setTopError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [copied, setCopied] = useState<string | null>(null);
  // A new set of recovery codes, shown until the user says they are saved (never stored).
  const [freshCodes, setFreshCodes] = useState<RecoveryCodes | null>(null);
  const resendCountdown = useCountdown();
  const [loadAttempt, setLoadAttempt] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const mounted = useMounted();

  function clearMessages(): void {
    setTopError(null);
    setFieldErrors({});
    setNotice(null);
    setCopied(null);
  }

  /** Puts an error where it belongs: under its field, or at the top. 401 leaves the page. */
  function showError(error: unknown): void {
    if (isUnauthorized(error)) {
      onUnauthorized();
      return;
    }
    const { field, message } = errorPlacement(error, ["code", "password"]);
    if (field) {
      setFieldErrors({ [field]: message });
      return;
    }
    setTopError(message);
  }

  /** Leaves any setup: the secret, QR code, typed code and password are dropped here. */
  function toOverview(next: TwoFactorStatus | null = status): void {
    setStatus(next);
    setCode("");
    setPassword("");
    setCopied(null);
    setFieldErrors({});
    setMode({ kind: "overview" });
  }

  async function beginTotp(): Promise<boolean> {
    clearMessages();
    setCode("");
    setMode({ kind: "totp", setup: null });
    try {
      const setup = await startTotpSetup();
      if (!mounted.current) return false;
      setMode({ kind: "totp", setup });
      if (setup.expired) setNotice("This setup expired; scan the new QR code.");
      return true;
    } catch (error) {
      if (!mounted.current) return false;
      setMode({ kind: "overview" });
      showError(error);
      return false;
    }
  }

  /** Sends a code; a "Send a new code" that fails (429: too soon) keeps the form and the code sent. */
  async function sendEmail(sends = 0): Promise<void> {
    clearMessages();
    if (sends === 0) setMode({ kind: "email", sentTo: null, sends });
    try {
      const pending = await sendEmailCode();
      if (!mounted.current) return;
      setCode("");
      setMode({ kind: "email", sentTo: pending.sentTo, sends: sends + 1 });
      resendCountdown.start(RESEND_SECONDS);
    } catch (error) {
      if (!mounted.current) return;
      if (sends === 0) setMode({ kind: "overview" });
      if (error instanceof ApiError && error.retryAfter) resendCountdown.start(error.retryAfter);
      showError(error);
    }
  }

  // Load the current state; then start the setup the /two-factor prompt asked for, if still off.
  useEffect(() => {
    let cancelled = false;
    getTwoFactor().then(
      (current) => {
        if (cancelled) return;
        setStatus(current);
        setMode({ kind: "overview" });
        if (start !== null) {
          onStartConsumed?.();
          if (current.enabled) {
            setNotice("Two-factor authentication is already on.");
          } else if (start === "totp") {
            void beginTotp();
          } else if (start === "sms") {
            setMode({ kind: "sms" });
          } else {
            void sendEmail();
          }
        } else if (current.pendingSetup === "totp") {
          // A reload (a phone switching to the authenticator app) reopens the same QR code.
          void beginTotp();
        }
      },
      (error: unknown) => {
        if (cancelled) return;
        setMode({ kind: "loadFailed" });
        showError(error);
      },
    );
    return () => {
      cancelled = true;
    };
    // Runs on mount and on "Try again" only; `start` is consumed once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loadAttempt]);

  // Keyboard and screen-reader users land on the heading when the view changes.
  const modeKind = mode.kind;
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (modeKind === "overview") headingRef.current?.focus();
  }, [modeKind]);

  async function confirmCode(event: FormEvent<HTMLFormElement>, method: "totp" | "email"): Promise<void> {
    event.preventDefault();
    clearMessages();
    const trimmed = code.trim();
    if (!CODE_PATTERN.test(trimmed)) {
      setFieldErrors({ code: "Enter the 6-digit code." });
      return;
    }
    setBusy(true);
    try {
      const result = splitEnableResult(
        method === "totp" ? await enableTotp(trimmed) : await enableEmail(trimmed),
      );
      if (!mounted.current) return;
      toOverview(result.status);
      setFreshCodes(result.codes);
      setNotice("Done: from now on you will be asked for a code when you sign in.");
    } catch (error) {
      if (!mounted.current) return;
      if (error instanceof ApiError && error.code === "setup_expired") {
        void beginTotp(); // shows the new QR code and says the old one expired
        return;
      }
      showError(error);
      if (error instanceof ApiError && error.code === "already_enabled") {
        // Someone else finished it (another tab): show the real state.
        void getTwoFactor().then(
          (current) => mounted.current && toOverview(current),
          () => undefined,
        );
      }
    } finally {
      if (mounted.current) setBusy(false);
    }
  }

  async function confirmDisable(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    clearMessages();
    if (password === "") {
      setFieldErrors({ password: "Enter your password." });
      return;
    }
    setBusy(true);
    try {
      const result = await disableTwoFactor(password);
      if (!mounted.current) return;
      toOverview(result);
      setNotice("Done: your password alone signs you in now.");
    } catch (error) {
      if (!mounted.current) return;
      showError(error);
    } finally {
      if (mounted.current) setBusy(false);
    }
  }

  async function regenerate(newCode: string): Promise<void> {
    clearMessages();
    if (!CODE_PATTERN.test(newCode)) {
      setFieldErrors({ code: "Enter the 6-digit code." });
      return;
    }
    setBusy(true);
    try {
      const fresh = await regenerateRecoveryCodes(newCode);
      if (!mounted.current) return;
      toOverview(status && { ...status, recoveryCodesRemaining: fresh.recoveryCodes.length });
      setFreshCodes(fresh);
    } catch (error) {
      if (!mounted.current) return;
      showError(error);
    } finally {
      if (mounted.current) setBusy(false);
    }
  }

  async function copySecret(secret: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("Secret copied.");
    } catch {
      setCopied("Could not copy: select the key and copy it by hand.");
    }
  }

  function cancel(): void {
    if (mode.kind === "totp" && mode.setup !== null) {
      // The server drops the pending secret; should this fail, the next setup shows it again.
      void cancelTotpSetup().catch(() => undefined);
    }
    clearMessages();
    toOverview();
  }

  return (
    <div className="two-factor-settings">
      <PageHeading ref={headingRef}>Two-factor authentication</PageHeading>
      <Alert message={topError} />
      {notice && <Status>{notice}</Status>}

      {mode.kind === "loading" && <Status>Loading your two-factor settings…</Status>}

      {mode.kind === "loadFailed" && (
        <button
          type="button"
          onClick={() => {
            clearMessages();
            setMode({ kind: "loading" });
            setLoadAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      )}

      {/* Right after enabling, the codes come first: they are shown only this once. */}
      {mode.kind === "overview" && freshCodes && (
        <FreshRecoveryCodes set={freshCodes} onSaved={() => setFreshCodes(null)} />
      )}

      {mode.kind === "overview" && status && (
        <Overview
          status={status}
          busy={busy}
          onTotp={() => void beginTotp()}
          onEmail={() => void sendEmail()}
          onSms={() => {
            clearMessages();
            setMode({ kind: "sms" });
          }}
          onChangePhone={(current) => {
            clearMessages();
            setMode({ kind: "changePhone", current });
          }}
          onChangeMethod={() => {
            clearMessages();
            setFreshCodes(null);
            setMode({ kind: "changeMethod" });
          }}
          onDisable={() => {
            clearMessages();
            setPassword("");
            setMode({ kind: "disable" });
          }}
          onRegenerate={() => {
            clearMessages();
            setFreshCodes(null);
            setMode({ kind: "regenerate" });
          }}
        />
      )}

      {mode.kind === "regenerate" && status?.method && (
        <RegenerateRecoveryCodes
          method={status.method}
          onUnauthorized={onUnauthorized}
          busy={busy}
          error={fieldErrors.code}
          onSubmit={(newCode) => void regenerate(newCode)}
          onCancel={cancel}
        />
      )}

      {mode.kind === "totp" && (
        <form className="setup" noValidate onSubmit={(event) => void confirmCode(event, "totp")}>
          <h2>Set up your authenticator app</h2>
          {mode.setup === null ? (
            <Status>Creating your secret key…</Status>
          ) : (
            <>
              <ol className="steps">
                <li>
                  Scan this QR code with an authenticator app (Google Authenticator, Aegis, 1Password, …).
                </li>
                <li>Or type the secret key into the app.</li>
                <li>Enter the 6-digit code the app shows.</li>
              </ol>
              <div className="qr">
                <img
                  src={mode.setup.qrDataUrl}
                  alt="QR code for your authenticator app"
                  width={200}
                  height={200}
                />
                <a className="hint" href={mode.setup.otpauthUrl}>
                  Open in an authenticator app on this device
                </a>
              </div>
              <div className="secret">
                <span className="secret-label" id="secret-key-label">
                  Secret key
                </span>
                <code className="secret-value" aria-labelledby="secret-key-label">
                  {groupSecret(mode.setup.secret)}
                </code>
                <button
                  type="button"
                  className="button-small"
                  onClick={() => mode.setup && void copySecret(mode.setup.secret)}
                >
                  Copy secret
                </button>
                {copied && <Status>{copied}</Status>}
              </div>
              <CodeField
                label="Code from your app"
                value={code}
                onChange={setCode}
                error={fieldErrors.code}
                disabled={busy}
              />
            </>
          )}
          <SubmitOrCancel label="Enable" onCancel={cancel} disabled={busy || mode.setup === null} />
        </form>
      )}

      {mode.kind === "email" && (
        <form className="setup" noValidate onSubmit={(event) => void confirmCode(event, "email")}>
          <h2>Get codes by email</h2>
          {mode.sentTo === null ? (
            <Status>Sending you a code…</Status>
          ) : (
            <SentCodeField
              sentTo={mode.sentTo}
              resent={mode.sends > 1}
              label="Code from the email"
              value={code}
              onChange={setCode}
              error={fieldErrors.code}
              disabled={busy}
            />
          )}
          <SubmitOrCancel label="Enable" onCancel={cancel} disabled={busy || mode.sentTo === null} />
          {mode.sentTo !== null && (
            <p className="actions">
              <SendNewCodeButton
                secondsLeft={resendCountdown.secondsLeft}
                disabled={busy}
                onClick={() => void sendEmail(mode.sends)}
              />
            </p>
          )}
        </form>
      )}

      {mode.kind === "sms" && (
        <PhoneSetup
          onEnabled={(answer) => {
            const result = splitEnableResult(answer);
            toOverview(result.status);
            setFreshCodes(result.codes);
            setNotice("Done: from now on you will be asked for a code when you sign in.");
          }}
          onCancel={cancel}
          onUnauthorized={onUnauthorized}
        />
      )}

      {mode.kind === "changePhone" && (
        <ChangePhone
          current={mode.current}
          onChanged={(result) => {
            toOverview(result);
            setNotice("Done: codes go to your new number now.");
          }}
          onCancel={cancel}
          onUnauthorized={onUnauthorized}
        />
      )}

      {mode.kind === "changeMethod" && status?.method && (
        <ChangeMethod
          current={status.method}
          onChanged={(result) => {
            const { status, codes } = splitEnableResult(result);
            toOverview(status);
            setFreshCodes(codes);
            setNotice("Done: the new method is on, and the old one no longer works.");
          }}
          onCancel={cancel}
          onUnauthorized={onUnauthorized}
        />
      )}

      {mode.kind === "disable" && (
        <form className="setup" noValidate onSubmit={(event) => void confirmDisable(event)}>
          <h2>Turn off two-factor authentication</h2>
          <p className="hint">Enter your password to confirm it is you.</p>
          <PasswordField
            label="Password"
            value={password}
            onChange={setPassword}
            error={fieldErrors.password}
            disabled={busy}
            autoFocus
          />
          <SubmitOrCancel label="Confirm disable" onCancel={cancel} disabled={busy} danger />
          <DisableOnAuthServerLink />
        </form>
      )}
    </div>
  );
}

function DisableOnAuthServerLink() {
  return (
    <p className="hint">
      Forgot your password? <a href={twoFactorDisablePageUrl()}>Disable with a code on the auth server</a>
    </p>
  );
}

interface OverviewProps {
  status: TwoFactorStatus;
  busy: boolean;
  onTotp: () => void;
  onEmail: () => void;
  onSms: () => void;
  onChangePhone: (current: string) => void;
  onChangeMethod: () => void;
  onDisable: () => void;
  onRegenerate: () => void;
}

function Overview({
  status,
  busy,
  onTotp,
  onEmail,
  onSms,
  onChangePhone,
  onChangeMethod,
  onDisable,
  onRegenerate,
}: OverviewProps) {
  const phone = status.phone;
  if (status.enabled) {
    return (
      <>
        <p className="badge badge-on">Two-factor authentication is on ({methodLabel(status.method)}).</p>
        {phone && <p className="hint">Codes are texted to {phone}.</p>}
        {status.recoveryCodesRemaining !== undefined && (
          <p className="hint">Recovery codes left: {status.recoveryCodesRemaining}</p>
        )}
        <div className="actions">
          <button type="button" onClick={onRegenerate} disabled={busy}>
            Regenerate recovery codes
          </button>
        </div>
        <div className="actions">
          <button type="button" onClick={onChangeMethod} disabled={busy}>
            Change method
          </button>
          {phone && (
            <button type="button" onClick={() => onChangePhone(phone)} disabled={busy}>
              Change number
            </button>
          )}
          <button type="button" className="button-danger" onClick={onDisable} disabled={busy}>
            Disable
          </button>
        </div>
        <DisableOnAuthServerLink />
      </>
    );
  }
  return (
    <>
      <p className="badge badge-off">Two-factor authentication is off: your password alone signs you in.</p>
      <p className="hint">Choose where your sign-in codes come from.</p>
      <div className="actions actions-stacked">
        <button type="button" className="button-primary" onClick={onTotp} disabled={busy}>
          Use an authenticator app
        </button>
        <button type="button" onClick={onEmail} disabled={busy}>
          Email me codes
        </button>
        <button type="button" onClick={onSms} disabled={busy}>
          Text me codes
        </button>
      </div>
    </>
  );
}
