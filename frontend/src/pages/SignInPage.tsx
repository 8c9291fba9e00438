import { useEffect, useState } from "react";
import { loginUrl, signupUrl } from "../api/client.ts";
import { implicitAuthorizeUrl, newNonce, rememberNonce } from "../auth/implicit.ts";
import { clearAccessToken } from "../auth/storage.ts";
import { Alert, Card, PageHeading } from "../components/ui.tsx";
import { getConfig } from "../config.ts";
import { useLocation } from "../router.tsx";

/** Readable text for the ?error= codes the backend's /auth/callback sends back. */
const ERROR_MESSAGES: Record<string, string> = {
  access_denied: "Sign-in was cancelled.",
  invalid_state: "The sign-in took too long or was started in another tab. Please try again.",
  invalid_request: "The sign-in request was not valid. Please try again.",
  server_error: "The auth server had a problem. Please try again.",
  temporarily_unavailable: "The auth server is busy. Please try again in a moment.",
  unauthorized: "Your session has ended. Please sign in again.",
};

export function signInErrorMessage(code: string): string {
  return ERROR_MESSAGES[code] ?? `Sign-in failed (${code}). Please try again.`;
}

export function SignInPage() {
  const { search } = useLocation();
  const error = search.get("error");
  // One nonce per visit of this page; kept in sessionStorage and checked on /auth.
  const [nonce] = useState(newNonce);
  useEffect(() => rememberNonce(nonce), [nonce]);

  return (
    <Card>
      <PageHeading>Sign in</PageHeading>
      <p className="lead">Use your account on the auth server.</p>
      <Alert message={error ? signInErrorMessage(error) : null} />
      <div className="actions actions-stacked">
        <a className="button button-primary" href={loginUrl()} onClick={clearAccessToken}>
          Log in
        </a>
        <a className="button" href={signupUrl()} onClick={clearAccessToken}>
          Sign up
        </a>
      </div>
      <div className="divider">
        <span>or</span>
      </div>
      <a
        className="button button-quiet"
        href={implicitAuthorizeUrl(getConfig().authServerUrl, nonce)}
        onClick={() => rememberNonce(nonce)}
      >
        Log in with the implicit flow (Client web)
      </a>
    </Card>
  );
}
