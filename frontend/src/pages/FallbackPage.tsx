/** Any unknown path: /app when signed in, /signin otherwise. */
import { Card, Status } from "../components/ui.tsx";
import { paths } from "../paths.ts";
import { Redirect } from "../router.tsx";
import { useSession } from "../session.ts";

export function FallbackPage() {
  const { session } = useSession();
  if (session.state === "loading") {
    return (
      <Card>
        <Status>Loading…</Status>
      </Card>
    );
  }
  return <Redirect to={session.state === "signedIn" ? paths.home : paths.signIn} />;
}
