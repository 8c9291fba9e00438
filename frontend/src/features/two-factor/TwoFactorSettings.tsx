/**
 * The two-factor settings page's body: loads the current state, shows the overview, and opens one
 * flow at a time (set up an authenticator app, email or text codes; change the number or the
 * method; new recovery codes; disable). Each flow is its own component and keeps its own form
 * state, secrets included; this one keeps only what the overview shows.
 */
import { useEffect, useEffectEvent, useRef, useState } from "react";
import {
  ApiError,
  errorPlacement,
  getTwoFactor,
  isUnauthorized,
  sendEmailCode,
  startTotpSetup,
} from "../../api/client.ts";
import { passwordPageUrl } from "../../auth/authServer.ts";
import { Alert, PageHeading, Status } from "../../components/ui.tsx";
import type { SetupStart } from "../../paths.ts";
import type {
  Feature,
  EmailPending,
  EnableResult,
  RecoveryCodes,
  TotpSetup,
  TwoFactorStatus,
} from "../../types/api.ts";
import { AuthenticatorSetup } from "./AuthenticatorSetup.tsx";
import { ChangeMethod } from "./ChangeMethod.tsx";
import { ChangePhone } from "./ChangePhone.tsx";
import { DisableTwoFactor } from "./DisableTwoFactor.tsx";
import { EmailSetup } from "./EmailSetup.tsx";
import { openingRequest } from "./openingRequest.ts";
import { Overview, type Flow } from "./Overview.tsx";
import { PhoneSetup } from "./PhoneSetup.tsx";
import { FreshRecoveryCodes, RegenerateRecoveryCodes } from "./RecoveryCodes.tsx";
import { TrustedBrowsers } from "./TrustedBrowsers.tsx";

type Mode =
  | { kind: "loading" }
  | { kind: "loadFailed" }
  | { kind: "overview" }
  | { kind: "totp"; started: Promise<TotpSetup> }
  | { kind: "email"; firstSend: Promise<EmailPending> }
  | { kind: Exclude<Flow, "totp" | "email"> };

const ENABLED_NOTICE = "Done: from now on you will be asked for a code when you sign in.";

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
  /** Features the backend cannot offer (GET /api/me `unavailable`): hidden. */
  unavailable?: Feature[] | undefined;
  /** Changes when another section may have changed the status (a passkey added or removed): read it again. */
  statusVersion?: number;
}

export function TwoFactorSettings({
  start = null,
  onStartConsumed,
  onUnauthorized,
  unavailable = [],
  statusVersion = 0,
}: TwoFactorSettingsProps) {
  const [mode, setMode] = useState<Mode>({ kind: "loading" });
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // A new set of recovery codes, shown until the user says they are saved (never stored).
  const [freshCodes, setFreshCodes] = useState<RecoveryCodes | null>(null);
  const [loadAttempt, setLoadAttempt] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);

  function showError(failure: unknown): void {
    if (isUnauthorized(failure)) onUnauthorized();
    else setError(errorPlacement(failure, []).message);
  }

  function open(flow: Flow): void {
    setError(null);
    setNotice(null);
    // Both make a new set: the one on screen stops working.
    if (flow === "changeMethod" || flow === "regenerate") setFreshCodes(null);
    if (flow === "totp") setMode({ kind: "totp", started: openingRequest(startTotpSetup) });
    else if (flow === "email") setMode({ kind: "email", firstSend: openingRequest(sendEmailCode) });
    else setMode({ kind: flow });
  }

  /** Leaves the flow (its secret, code and password go with it) for the overview. */
  function toOverview(next: TwoFactorStatus | null = status, message: string | null = null): void {
    setStatus(next);
    setNotice(message);
    setMode({ kind: "overview" });
  }

  function enabled(result: EnableResult, message: string): void {
    const { status: next, codes } = splitEnableResult(result);
    toOverview(next, message);
    setFreshCodes(codes);
  }

  /** A flow that cannot go on: the overview says why. */
  function failed(failure: unknown): void {
    toOverview();
    showError(failure);
    if (failure instanceof ApiError && failure.code === "already_enabled") {
      // Someone else finished it (another tab): show the real state.
      getTwoFactor().then(
        (current) => toOverview(current),
        () => undefined,
      );
    }
  }

  function cancel(): void {
    setError(null);
    toOverview();
  }

  // Then start the setup the /two-factor prompt asked for, if two-factor is still off.
  const loaded = useEffectEvent((current: TwoFactorStatus) => {
    toOverview(current);
    if (start !== null) {
      onStartConsumed?.();
      if (current.enabled) setNotice("Two-factor authentication is already on.");
      else open(start);
    } else if (current.pendingSetup === "totp") {
      // A reload (a phone switching to the authenticator app) reopens the same QR code.
      open("totp");
    }
  });
  const loadFailed = useEffectEvent((failure: unknown) => {
    setMode({ kind: "loadFailed" });
    showError(failure);
  });
  // Load the current state: on mount, and again on "Try again".
  useEffect(() => {
    let cancelled = false;
    getTwoFactor().then(
      (current) => {
        if (!cancelled) loaded(current);
      },
      (failure: unknown) => {
        if (!cancelled) loadFailed(failure);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [loadAttempt]);

  // Read again, without leaving what is open, when another section says the status may have changed.
  const shownVersion = useRef(statusVersion);
  useEffect(() => {
    if (statusVersion === shownVersion.current) return;
    shownVersion.current = statusVersion;
    let cancelled = false;
    getTwoFactor().then(
      (current) => {
        if (!cancelled) setStatus(current);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [statusVersion]);

  // Keyboard and screen-reader users land on the heading when the view changes under them (the
  // button they pressed is gone). Focus that is still somewhere on the page, such as a field of
  // another section typed into while this one loaded, stays where it is.
  const modeKind = mode.kind;
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const focusIsLost = document.activeElement === null || document.activeElement === document.body;
    if (modeKind === "overview" && focusIsLost) headingRef.current?.focus();
  }, [modeKind]);

  function currentFlow() {
    const common = { onCancel: cancel, onUnauthorized };
    switch (mode.kind) {
      case "totp":
        return (
          <AuthenticatorSetup
            started={mode.started}
            onEnabled={(result) => enabled(result, ENABLED_NOTICE)}
            onFailed={failed}
            {...common}
          />
        );
      case "email":
        return (
          <EmailSetup
            firstSend={mode.firstSend}
            onEnabled={(result) => enabled(result, ENABLED_NOTICE)}
            onFailed={failed}
            {...common}
          />
        );
      case "sms":
        return <PhoneSetup onEnabled={(result) => enabled(result, ENABLED_NOTICE)} {...common} />;
      case "changePhone":
        return status?.phone ? (
          <ChangePhone
            current={status.phone}
            onChanged={(next) => toOverview(next, "Done: codes go to your new number now.")}
            {...common}
          />
        ) : null;
      case "changeMethod":
        return status?.method && status.method !== "webhook" ? (
          <ChangeMethod
            current={status.method}
            onChanged={(result) =>
              enabled(result, "Done: the new method is on, and the old one no longer works.")
            }
            {...common}
          />
        ) : null;
      case "regenerate":
        return status?.method && status.method !== "webhook" ? (
          <RegenerateRecoveryCodes
            method={status.method}
            onRegenerated={(fresh) => {
              toOverview({ ...status, recoveryCodesRemaining: fresh.recoveryCodes.length });
              setFreshCodes(fresh);
            }}
            {...common}
          />
        ) : null;
      case "disable":
        return (
          <DisableTwoFactor
            onDisabled={(next) => {
              toOverview(
                next,
                next.passkey
                  ? "Done: codes are off; after your password, you confirm with your passkey."
                  : "Done: your password alone signs you in now.",
              );
              setFreshCodes(null);
            }}
            {...common}
          />
        );
      default:
        return null;
    }
  }

  return (
    <div className="two-factor-settings">
      <PageHeading ref={headingRef}>Two-factor authentication</PageHeading>
      <Alert message={error} />
      {notice && <Status>{notice}</Status>}

      {mode.kind === "loading" && <Status>Loading your two-factor settings…</Status>}

      {mode.kind === "loadFailed" && (
        <button
          type="button"
          onClick={() => {
            setError(null);
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
        <Overview status={status} onOpen={open} unavailable={unavailable} />
      )}
      {mode.kind === "overview" &&
        (status?.enabled || status?.passkey) &&
        !unavailable.includes("trustedBrowsers") && <TrustedBrowsers onUnauthorized={onUnauthorized} />}
      {mode.kind === "overview" && (
        <p className="hint">
          <a href={passwordPageUrl()}>Change your password</a> on the auth server: it signs you out everywhere
          else.
        </p>
      )}

      {currentFlow()}
    </div>
  );
}
