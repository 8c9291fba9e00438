/**
 * /auth — where the auth server sends Client web back (`#access_token=..&state=..`). Keeps the token
 * for this tab, removes it from the address bar, checks it with GET /api/me, then goes on: like the
 * code flow's callback, to the "enable two-factor now?" prompt while two-factor is off.
 */
import { useEffect, useRef, useState } from "react";
import { getMe, isUnauthorized } from "../api/client.ts";
import { pageAfterSignIn, parseLanding, type LandingResult } from "../auth/implicit.ts";
import { clearAccessToken, setAccessToken } from "../auth/storage.ts";
import { Alert, Card, PageHeading, Status } from "../components/ui.tsx";
import { paths } from "../paths.ts";
import { Link, navigate } from "../router.tsx";

export function ImplicitLandingPage() {
  const [failure, setFailure] = useState<string | null>(null);
  // Parsed once per visit: StrictMode runs effects twice, and the first run clears the hash
  // and uses up the nonce. A ref survives that re-run (same component instance).
  const landing = useRef<LandingResult | null>(null);

  useEffect(() => {
    landing.current ??= parseLanding(window.location.hash);
    const result = landing.current;
    // The token must not stay in the address bar or the history entry.
    window.history.replaceState(null, "", paths.implicitLanding);
    if (!result.ok) {
      setFailure(result.message);
      return;
    }
    setAccessToken(result.accessToken);
    let cancelled = false;
    getMe().then(
      (me) => {
        if (!cancelled) navigate(pageAfterSignIn(me, result.nextUrl), { replace: true });
      },
      (error: unknown) => {
        if (cancelled) return;
        clearAccessToken();
        setFailure(
          isUnauthorized(error)
            ? "The access token was not accepted (it is missing, expired or revoked). Please sign in again."
            : error instanceof Error
              ? error.message
              : String(error),
        );
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <Card>
      <PageHeading>Signing you in</PageHeading>
      {failure ? (
        <>
          <Alert message={failure} />
          <p>
            <Link to={paths.signIn}>Back to sign in</Link>
          </p>
        </>
      ) : (
        <Status>Checking your sign-in…</Status>
      )}
    </Card>
  );
}
