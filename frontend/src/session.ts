/** Signed-in-ness: GET /api/me answers 200 (cookie session or Bearer token). */
import { useEffect, useState } from "react";
import { getMe, isUnauthorized } from "./api/client.ts";
import { clearAccessToken, getAccessToken } from "./auth/storage.ts";
import type { Me } from "./types/api.ts";

export type Session =
  | { state: "loading" }
  | { state: "signedIn"; me: Me }
  | { state: "signedOut" }
  | { state: "error"; message: string };

/**
 * GET /api/me. A kept implicit-flow token the backend refuses (expired, revoked) is dropped and the
 * call made once more without it, so that a cookie session started since then still counts.
 */
async function whoAmI(): Promise<Me> {
  try {
    return await getMe();
  } catch (error) {
    if (!isUnauthorized(error) || getAccessToken() === null) throw error;
    clearAccessToken();
    return getMe();
  }
}

/** Asks the backend who is signed in, once per mount (and again after retry()). */
export function useSession(): { session: Session; retry: () => void } {
  const [session, setSession] = useState<Session>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    whoAmI().then(
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
