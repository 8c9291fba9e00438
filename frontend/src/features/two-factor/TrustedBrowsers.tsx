/**
 * The browsers where "Don't ask again on this browser" was ticked at sign-in: they skip the second factor
 * after the password. Each can be revoked; "Sign out of trusted browsers" ends them all.
 */
import { useEffect, useEffectEvent, useState } from "react";
import {
  errorPlacement,
  getTrustedBrowsers,
  isUnauthorized,
  revokeTrustedBrowser,
  signOutOfTrustedBrowsers,
} from "../../api/client.ts";
import { Alert } from "../../components/ui.tsx";
import type { TrustedBrowser } from "../../types/api.ts";
import { useMounted } from "./useMounted.ts";

function day(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function TrustedBrowsers({ onUnauthorized }: { onUnauthorized: () => void }) {
  const [browsers, setBrowsers] = useState<TrustedBrowser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mounted = useMounted();

  function showError(failure: unknown): void {
    if (isUnauthorized(failure)) onUnauthorized();
    else setError(errorPlacement(failure, []).message);
  }
  const loadFailed = useEffectEvent(showError);
  useEffect(() => {
    let cancelled = false;
    getTrustedBrowsers().then(
      (list) => {
        if (!cancelled) setBrowsers(list);
      },
      (failure: unknown) => {
        if (!cancelled) loadFailed(failure);
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  async function change(call: () => Promise<TrustedBrowser[]>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const left = await call();
      if (mounted.current) setBrowsers(left);
    } catch (failure) {
      if (mounted.current) showError(failure);
    } finally {
      if (mounted.current) setBusy(false);
    }
  }

  return (
    <section aria-labelledby="trusted-browsers-heading" className="trusted-browsers">
      <h2 id="trusted-browsers-heading">Trusted browsers</h2>
      <Alert message={error} />
      {browsers !== null && browsers.length === 0 && (
        <p className="hint">No browser skips the second factor: every sign-in asks for it.</p>
      )}
      {browsers !== null && browsers.length > 0 && (
        <>
          <p className="hint">These browsers sign in with your password only, until their trust ends.</p>
          <ul className="trusted-browser-list">
            {browsers.map((browser) => (
              <li key={browser.id}>
                <strong>{browser.label}</strong>
                <span className="hint">
                  {" "}
                  trusted {day(browser.created)}, last used {day(browser.lastUsed)}
                </span>{" "}
                <button
                  type="button"
                  disabled={busy}
                  aria-label={`Revoke ${browser.label}, trusted ${day(browser.created)}`}
                  onClick={() => void change(() => revokeTrustedBrowser(browser.id))}
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => void change(signOutOfTrustedBrowsers)}>
              Sign out of trusted browsers
            </button>
          </div>
        </>
      )}
    </section>
  );
}
