/** Renders its children only for a signed-in user; otherwise goes to /signin. */
import type { ReactNode } from "react";
import { paths } from "../paths.ts";
import { Redirect } from "../router.tsx";
import { useSession } from "../session.ts";
import type { Me } from "../types/api.ts";
import { Alert, Card, Status } from "./ui.tsx";

export function SignedIn({ children }: { children: (me: Me) => ReactNode }) {
  const { session, retry } = useSession();
  switch (session.state) {
    case "loading":
      return (
        <Card>
          <Status>Loading…</Status>
        </Card>
      );
    case "signedOut":
      return <Redirect to={paths.signIn} />;
    case "error":
      return (
        <Card>
          <Alert message={session.message} />
          <button type="button" onClick={retry}>
            Try again
          </button>
        </Card>
      );
    case "signedIn":
      return <>{children(session.me)}</>;
  }
}
