/**
 * A code the app sends by email or text message: where the last one went, whether it was a second
 * send, and the wait before "Send a new code" works again (RESEND_SECONDS, or what a refusal's
 * Retry-After says).
 */
import { useState } from "react";
import { ApiError } from "../../api/client.ts";
import { RESEND_SECONDS, useCountdown } from "../../components/ui.tsx";

export interface SentCode {
  /** The masked address or number the last code went to; null before the first. */
  sentTo: string | null;
  /** How many codes went since the first (a new key per send empties a field). */
  sends: number;
  /** A second or later code: the field says a new one is on its way. */
  resent: boolean;
  /** Seconds before another code may be asked for. */
  secondsLeft: number;
  /** A code went to `sentTo`: the wait before the next one starts. */
  sent: (sentTo: string) => void;
  /** A refused send (429: too soon) waits for its Retry-After; false, so its message is shown. */
  refused: (error: unknown) => false;
  /** Back to before the first code ("Use another number"). */
  reset: () => void;
}

export function useSentCode(): SentCode {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [sends, setSends] = useState(0);
  const countdown = useCountdown();
  return {
    sentTo,
    sends,
    resent: sends > 1,
    secondsLeft: countdown.secondsLeft,
    sent: (to) => {
      setSentTo(to);
      setSends((n) => n + 1);
      countdown.start(RESEND_SECONDS);
    },
    refused: (error) => {
      if (error instanceof ApiError && error.retryAfter) countdown.start(error.retryAfter);
      return false;
    },
    reset: () => {
      setSends(0);
      setSentTo(null);
    },
  };
}
