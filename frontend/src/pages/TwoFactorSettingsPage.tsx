/** /settings/two-factor — the settings component inside the signed-in layout. */
import { useState } from "react";
import { SignedIn } from "../components/SignedIn.tsx";
import { Passkeys } from "../features/passkeys/Passkeys.tsx";
import { TwoFactorSettings } from "../features/two-factor/TwoFactorSettings.tsx";
import { Card } from "../components/ui.tsx";
import { paths, type SetupStart } from "../paths.ts";
import { Link, navigate, useLocation } from "../router.tsx";

function readStart(value: string | null): SetupStart | null {
  return value === "totp" || value === "email" || value === "sms" ? value : null;
}

function toSignIn(): void {
  navigate(paths.signIn, { replace: true });
}

export function TwoFactorSettingsPage() {
  const { search } = useLocation();
  // Adding or removing a passkey can turn two-factor on or off (under the auth server's policy).
  const [passkeyChanges, setPasskeyChanges] = useState(0);
  const start = readStart(search.get("setup"));
  return (
    <SignedIn>
      {(me) => (
        <Card wide>
          <p className="breadcrumb">
            <Link to={paths.home}>← Back to your account</Link>
            <span className="who">{me.email}</span>
          </p>
          <TwoFactorSettings
            start={start}
            // A reload must not start another setup: drop ?setup= once it has been acted on.
            onStartConsumed={() => navigate(paths.twoFactorSettings, { replace: true })}
            onUnauthorized={toSignIn}
            unavailable={me.unavailable}
            statusVersion={passkeyChanges}
          />
          {!me.unavailable?.includes("passkeys") && (
            <Passkeys onUnauthorized={toSignIn} onAddedOrRemoved={() => setPasskeyChanges((n) => n + 1)} />
          )}
        </Card>
      )}
    </SignedIn>
  );
}
