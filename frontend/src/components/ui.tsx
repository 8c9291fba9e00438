/** Small accessible building blocks shared by the pages: card layout, alerts, labelled fields. */
import { useEffect, useId, useRef, useState, type ReactNode, type Ref, type RefObject } from "react";
import { takeFocusPending } from "../router.tsx";

export function Card({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <main className="page">
      <p className="brand" aria-hidden="true">
        <span className="brand-mark">2FA</span> Two-factor demo
      </p>
      <section className={wide ? "card card-wide" : "card"}>{children}</section>
    </main>
  );
}

/**
 * The page's <h1>. After an in-app navigation it takes the focus, so keyboard and screen-reader
 * users start on the new page instead of on a link or button that no longer exists.
 */
export function PageHeading({ children, ref }: { children: ReactNode; ref?: Ref<HTMLHeadingElement> }) {
  const own = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocusPending()) own.current?.focus();
  }, []);
  return (
    <h1
      tabIndex={-1}
      ref={(element) => {
        own.current = element;
        if (typeof ref === "function") ref(element);
        else if (ref) ref.current = element;
      }}
    >
      {children}
    </h1>
  );
}

/** An error announced to screen readers; renders nothing without a message. */
export function Alert({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="alert" id={id}>
      {message}
    </p>
  );
}

/** A polite status line ("Loading…", "Copied", success notices). */
/** A form's submit button and its Cancel, in the row every form ends with. */
export function SubmitOrCancel({
  label,
  onCancel,
  disabled,
  danger = false,
}: {
  label: string;
  onCancel: () => void;
  disabled: boolean;
  danger?: boolean;
}) {
  return (
    <div className="actions">
      <button type="submit" className={danger ? "button-danger" : "button-primary"} disabled={disabled}>
        {label}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

export function Status({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="status">
      {children}
    </p>
  );
}

interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null | undefined;
  hint?: string;
  autoFocus?: boolean;
  disabled?: boolean;
}

/**
 * A field is disabled while its request runs, and the browser then moves the focus to <body>. Give it
 * back when the answer puts an error under this field, or when nothing else took the focus meanwhile,
 * so the person can correct the code or password straight away.
 */
function useFocusAfterRequest(input: RefObject<HTMLInputElement | null>, disabled: boolean, error: unknown) {
  const wasDisabled = useRef(disabled);
  useEffect(() => {
    const requestEnded = wasDisabled.current && !disabled;
    wasDisabled.current = disabled;
    if (disabled) return;
    if (error || (requestEnded && document.activeElement === document.body)) input.current?.focus();
  }, [input, disabled, error]);
}

/**
 * A one-time code as typed or pasted: "806 056", "806-056" or "  806056  " → "806056". Only the
 * digits are kept, at most 6, so a field must not cut a paste short before this runs (no maxLength).
 */
export function normalizeCode(raw: string): string {
  return raw.replace(/[^0-9]/g, "").slice(0, 6);
}

/** Whether a typed code is complete: the forms check this before sending it ("Enter the 6-digit code."). */
export function isSixDigitCode(code: string): boolean {
  return /^[0-9]{6}$/.test(code.trim());
}

/** "We sent a code to …" (or "Sent: …" after "Send a new code") and the field for that code, focused. */
export function SentCodeField({
  sentTo,
  resent = false,
  ...field
}: { sentTo: string; resent?: boolean } & Omit<FieldProps, "autoFocus">) {
  return (
    <>
      <Status>
        {resent ? `Sent: a new code is on its way to ${sentTo}.` : `We sent a code to ${sentTo}.`}
      </Status>
      <CodeField {...field} autoFocus />
    </>
  );
}

/** Seconds the server makes a person wait between two codes sent (the app's code_sends.py). */
export const RESEND_SECONDS = 30;

/** Whole seconds left of a countdown, ticking each second; `start(n)` begins one of n seconds. */
export function useCountdown(): { secondsLeft: number; start: (seconds: number) => void } {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= Date.now()) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return {
    secondsLeft: Math.max(0, Math.ceil((until - now) / 1000)),
    start: (seconds) => {
      const current = Date.now();
      setNow(current);
      setUntil(current + seconds * 1000);
    },
  };
}

/** "Send a new code", disabled during the wait between two codes, with the seconds left beside it. */
export function SendNewCodeButton({
  secondsLeft,
  disabled,
  onClick,
}: {
  secondsLeft: number;
  disabled: boolean;
  onClick: () => void;
}) {
  const id = useId();
  return (
    <>
      <button
        type="button"
        className="button-link"
        onClick={onClick}
        disabled={disabled || secondsLeft > 0}
        aria-describedby={secondsLeft > 0 ? id : undefined}
      >
        Send a new code
      </button>
      {secondsLeft > 0 && (
        <span className="hint" id={id}>
          You can ask for another in {secondsLeft} s.
        </span>
      )}
    </>
  );
}

/** A 6-digit one-time code input with its visible label and its error right under it. */
export function CodeField({ label, value, onChange, error, hint, autoFocus, disabled = false }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const input = useRef<HTMLInputElement>(null);
  useFocusAfterRequest(input, disabled, error);
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <input
        ref={input}
        id={id}
        name="code"
        className="code-input"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        required
        autoFocus={autoFocus}
        disabled={disabled}
        value={value}
        onChange={(event) => onChange(normalizeCode(event.target.value))}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      <Alert message={error} id={errorId} />
    </div>
  );
}

/** The current password, for re-authentication before a sensitive change. */
export function PasswordField({ label, value, onChange, error, autoFocus, disabled = false }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const input = useRef<HTMLInputElement>(null);
  useFocusAfterRequest(input, disabled, error);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={input}
        id={id}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus={autoFocus}
        disabled={disabled}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      <Alert message={error} id={errorId} />
    </div>
  );
}
