/** /app — the signed-in home: who you are and whether 2FA is on. */
import { useState } from "react";
import { isUnauthorized, logout } from "../api/client.ts";
import { clearAccessToken } from "../auth/storage.ts";
import { SignedIn } from "../components/SignedIn.tsx";
import { Alert, Card, PageHeading } from "../components/ui.tsx";
import { paths } from "../paths.ts";
import { Link, navigate } from "../router.tsx";
import { secondFactorOn, statusLine } from "../twoFactorText.ts";
import type { Me } from "../types/api.ts";

function Home({ me }: { me: Me }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function handleLogout(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await logout();
    } catch (caught) {
      if (!isUnauthorized(caught)) {
        setBusy(false);
        setError(caught instanceof Error ? caught.message : String(caught));
        return;
      }
    }
    clearAccessToken();
    navigate(paths.signIn);
  }

  return (
    <Card>
      <PageHeading>Hello, {me.email}!</PageHeading>
      <Alert message={error} />
      <p className={secondFactorOn(me.twoFactor) ? "badge badge-on" : "badge badge-off"}>
        {statusLine(me.twoFactor)}
      </p>
      <div className="actions">
        <Link className="button" to={paths.twoFactorSettings}>
          Two-factor settings
        </Link>
        <button type="button" onClick={() => void handleLogout()} disabled={busy}>
          Log out
        </button>
      </div>
    </Card>
  );
}

export function HomePage() {
  return <SignedIn>{(me) => <Home me={me} />}</SignedIn>;
}
