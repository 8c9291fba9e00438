/** /two-factor — asked right after sign-up / first sign-in while 2FA is off. */
import { SignedIn } from "../components/SignedIn.tsx";
import { Card, PageHeading } from "../components/ui.tsx";
import { paths, twoFactorSettingsPath } from "../paths.ts";
import { navigate } from "../router.tsx";

export function TwoFactorPromptPage() {
  return (
    <SignedIn>
      {() => (
        <Card>
          <PageHeading>Protect your account</PageHeading>
          <p className="lead">Do you want to enable two-factor authentication now?</p>
          <p className="hint">
            After your password you will also enter a 6-digit code: from an authenticator app on your phone,
            or sent to you by email or text message.
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
            <button type="button" className="button-quiet" onClick={() => navigate(paths.home)}>
              Skip for now
            </button>
          </div>
        </Card>
      )}
    </SignedIn>
  );
}
