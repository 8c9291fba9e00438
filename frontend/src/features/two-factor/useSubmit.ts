/**
 * The one way the two-factor forms call the backend: one request at a time, the form disabled while
 * it runs, a 401 handed to the page, any other failure shown under the field the server named (one
 * of `fields`) or at the top of the form, and nothing done once the form has left the page.
 */
import { useRef, useState } from "react";
import { errorPlacement, isUnauthorized } from "../../api/client.ts";
import { isSixDigitCode } from "../../components/ui.tsx";
import { useMounted } from "./useMounted.ts";

/** A form's messages: one per field, and `top` for the rest. */
export type FormErrors<F extends string> = Partial<Record<F | "top", string>>;

export interface Submit<F extends string> {
  /** True while a request runs: the form's fields and buttons are disabled. */
  busy: boolean;
  errors: FormErrors<F>;
  /** For the form's own checks before any request ("Enter your password."). */
  setErrors: (errors: FormErrors<F>) => void;
  /**
   * The form's own check of a typed code before its request: true when it has six digits, else false
   * with "Enter the 6-digit code." under `field`.
   */
  checkCode: (field: F, code: string) => boolean;
  /**
   * Sends `request` unless one is already running. `onAnswer` gets its answer; `onFailure` sees a
   * failure first (not a 401) and returns true when it dealt with it, so it is not shown.
   */
  submit: <T>(
    request: () => Promise<T>,
    onAnswer: (answer: T) => void,
    onFailure?: (error: unknown) => boolean | void,
  ) => Promise<void>;
}

export function useSubmit<F extends string>(fields: readonly F[], onUnauthorized: () => void): Submit<F> {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<F>>({});
  // A ref, not `busy`: a second click can come before React has rendered the disabled button.
  const running = useRef(false);
  const mounted = useMounted();

  async function submit<T>(
    request: () => Promise<T>,
    onAnswer: (answer: T) => void,
    onFailure?: (error: unknown) => boolean | void,
  ): Promise<void> {
    if (running.current) return;
    running.current = true;
    setErrors({});
    setBusy(true);
    let outcome: { answer: T } | { error: unknown };
    try {
      outcome = { answer: await request() };
    } catch (error) {
      outcome = { error };
    } finally {
      running.current = false;
    }
    if (!mounted.current) return;
    setBusy(false);
    if ("answer" in outcome) {
      onAnswer(outcome.answer);
    } else if (isUnauthorized(outcome.error)) {
      onUnauthorized();
    } else if (!onFailure?.(outcome.error)) {
      const { field, message } = errorPlacement(outcome.error, fields);
      setErrors({ [field ?? "top"]: message } as FormErrors<F>);
    }
  }

  function checkCode(field: F, code: string): boolean {
    if (isSixDigitCode(code)) return true;
    setErrors({ [field]: "Enter the 6-digit code." } as FormErrors<F>);
    return false;
  }

  return { busy, errors, setErrors, checkCode, submit };
}
