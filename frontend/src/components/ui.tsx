/** Small accessible building blocks shared by the pages: card layout, alerts, labelled fields. */
import { useEffect, useId, useRef, type ReactNode, type Ref } from "react";
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

/** "We sent a code to …" and the field for that code, focused. */
export function SentCodeField({ sentTo, ...field }: { sentTo: string } & Omit<FieldProps, "autoFocus">) {
  return (
    <>
      <Status>We sent a code to {sentTo}.</Status>
      <CodeField {...field} autoFocus />
    </>
  );
}

/** A 6-digit one-time code input with its visible label and its error right under it. */
export function CodeField({ label, value, onChange, error, hint, autoFocus, disabled }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
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
        id={id}
        name="code"
        className="code-input"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        autoFocus={autoFocus}
        disabled={disabled}
        value={value}
        onChange={(event) => onChange(event.target.value.replace(/\D/g, ""))}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      <Alert message={error} id={errorId} />
    </div>
  );
}

/** The current password, for re-authentication before a sensitive change. */
export function PasswordField({ label, value, onChange, error, autoFocus, disabled }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
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
