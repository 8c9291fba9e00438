/** Pages of the auth server that the app links to (full-page navigation, not API calls). */
import { getConfig } from "../config.ts";
import { paths } from "../paths.ts";

/** The auth server's "disable with a current code" page, coming back to the settings page. */
export function twoFactorDisablePageUrl(): string {
  const query = new URLSearchParams({
    redirect_uri: `${window.location.origin}${paths.twoFactorSettings}`,
  });
  return `${getConfig().authServerUrl}/auth/two-factor/disable?${query.toString()}`;
}

/** The auth server's own page that changes the password (it holds it; the app never sees one). */
export function passwordPageUrl(): string {
  return `${getConfig().authServerUrl}/auth/password`;
}
