/** /two-factor — asked right after sign-up / first sign-in while 2FA is off. */
import { useEffect, useState } from "react";
import { getTwoFactor } from "../api/client.ts";
import { SignedIn } from "../components/SignedIn.tsx";
import { Card, PageHeading } from "../components/ui.tsx";
import { paths, twoFactorSettingsPath } from "../paths.ts";
import { navigate } from "../router.tsx";

/**
 * Whether the auth server's policy requires two-factor (GET /api/user/two-factor says `required`);
 * null until known. A failed request counts as not required: the auth server enforces it anyway.
 */
function useTwoFactorRequired(): boolean | null {
  const [required, setRequired] = useState<boolean | null>(null);
  useEffect(() => {
    let onPage = true;
    getTwoFactor().then(
      (status) => {
        if (onPage) setRequired(status.required === true);
      },
      () => {
        if (onPage) setRequired(false);
      },
    );
    return () => {
      onPage = false;
    };
  }, []);
  return required;
}

function Prompt() {
  const required = useTwoFactorRequired();
  return (
    <Card>
      <PageHeading>Protect your account</PageHeading>
      {required ? (
        <p className="lead">This site requires two-factor authentication. Choose how to set it up.</p>
      ) : (
        <p className="lead">Do you want to enable two-factor authentication now?</p>
      )}
      <p className="hint">
        After your password you will also enter a 6-digit code: from an authenticator app on your phone, or
        sent to you by email or text message.
      </p>
      <div className="actions actions-stacked">
        <button
          type="button"
          className="button-primary"
          onClick={() => navigate(twoFactorSettingsPath("totp"))}
        >
          Use an authenticator app
        </button>
        <button type="button" onClick={() => navigate(twoFactorSettingsPath("email"))}>
          Email me codes
        </button>
        <button type="button" onClick={() => navigate(twoFactorSettingsPath("sms"))}>
          Text me codes
        </button>
        {required === false && (
          <button type="button" className="button-quiet" onClick={() => navigate(paths.home)}>
            Skip for now
          </button>
        )}
      </div>
    </Card>
  );
}

export function TwoFactorPromptPage() {
  return <SignedIn>{() => <Prompt />}</SignedIn>;
}
