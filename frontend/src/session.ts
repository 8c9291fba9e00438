/** Signed-in-ness: GET /api/me answers 200 (cookie session or Bearer token). */
import { useEffect, useState } from "react";
import { getMe, isUnauthorized } from "./api/client.ts";
import type { Me } from "./types/api.ts";

export type Session =
  | { state: "loading" }
  | { state: "signedIn"; me: Me }
  | { state: "signedOut" }
  | { state: "error"; message: string };

/** Asks the backend who is signed in, once per mount (and again after retry()). */
export function useSession(): { session: Session; retry: () => void } {
  const [session, setSession] = useState<Session>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    getMe().then(
      (me) => {
        if (!cancelled) setSession({ state: "signedIn", me });
      },
      (error: unknown) => {
        if (cancelled) return;
        if (isUnauthorized(error)) {
          setSession({ state: "signedOut" });
        } else {
          setSession({ state: "error", message: error instanceof Error ? error.message : String(error) });
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  return {
    session,
    retry: () => {
      setSession({ state: "loading" });
      setAttempt((n) => n + 1);
    },
  };
}
