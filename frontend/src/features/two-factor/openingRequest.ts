/**
 * A setup form opens with a request (the new secret, or the first emailed code). The click that opens
 * the form makes it, not the form's effect: React's StrictMode runs effects twice, and a second
 * request would email a second code. The form then shows the answer once it is on the page.
 */
import { useEffect, useEffectEvent } from "react";

/** Makes the request now; the form that `useOpeningRequest`s it shows its answer or its error. */
export function openingRequest<T>(request: () => Promise<T>): Promise<T> {
  const pending = request();
  // Handled by the form; this only stops a failure that comes before the form is on the page from
  // being reported as unhandled.
  pending.catch(() => undefined);
  return pending;
}

/** Calls `onAnswer` or `onFailure` once `request` settles, while the form is on the page. */
export function useOpeningRequest<T>(
  request: Promise<T>,
  onAnswer: (answer: T) => void,
  onFailure: (error: unknown) => void,
): void {
  const answered = useEffectEvent(onAnswer);
  const failed = useEffectEvent(onFailure);
  useEffect(() => {
    let onPage = true;
    request.then(
      (answer) => {
        if (onPage) answered(answer);
      },
      (error: unknown) => {
        if (onPage) failed(error);
      },
    );
    return () => {
      onPage = false;
    };
  }, [request]);
}
