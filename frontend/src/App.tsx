import { useEffect } from "react";
import { ImplicitLandingPage } from "./pages/ImplicitLandingPage.tsx";
import { FallbackPage } from "./pages/FallbackPage.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { SignInPage } from "./pages/SignInPage.tsx";
import { TwoFactorPromptPage } from "./pages/TwoFactorPromptPage.tsx";
import { TwoFactorSettingsPage } from "./pages/TwoFactorSettingsPage.tsx";
import { paths } from "./paths.ts";
import { useLocation } from "./router.tsx";

const TITLES: Record<string, string> = {
  [paths.signIn]: "Sign in",
  [paths.implicitLanding]: "Signing in",
  [paths.twoFactorPrompt]: "Two-factor authentication",
  [paths.home]: "Your account",
  [paths.twoFactorSettings]: "Two-factor settings",
};

export function App() {
  const { pathname } = useLocation();
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  useEffect(() => {
    document.title = `${TITLES[path] ?? "Two-factor demo"} · Two-factor demo`;
  }, [path]);
  // `key` remounts a page when the path changes, so each visit loads fresh data.
  switch (path) {
    case paths.signIn:
      return <SignInPage key={path} />;
    case paths.implicitLanding:
      return <ImplicitLandingPage key={path} />;
    case paths.twoFactorPrompt:
      return <TwoFactorPromptPage key={path} />;
    case paths.home:
      return <HomePage key={path} />;
    case paths.twoFactorSettings:
      return <TwoFactorSettingsPage key={path} />;
    default:
      return <FallbackPage key={path} />;
  }
}
