/**
 * A tiny history router: the app has five fixed routes, so this replaces react-router
 * (location via useSyncExternalStore, navigate() on the History API, <Link> for in-app links).
 */
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

const NAVIGATE_EVENT = "app:navigate";

/** Set by navigate(): the next page heading to mount takes the focus (see PageHeading). */
let focusPending = false;

/** True once after an in-app navigation (not on a full page load). */
export function takeFocusPending(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export interface Location {
  pathname: string;
  search: URLSearchParams;
}

/** The current path and query; re-renders on navigate() and back/forward. */
export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, snapshot, snapshot);
  const url = new URL(current, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams };
}

/** Goes to an in-app path (pushes a history entry unless `replace`). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const before = window.location.pathname;
  if (options.replace) {
    window.history.replaceState(null, "", to);
  } else {
    window.history.pushState(null, "", to);
  }
  if (window.location.pathname !== before) {
    focusPending = true;
    window.scrollTo(0, 0);
  }
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string };

/** An in-app link: a real <a href> (keyboard, middle-click, copy link all work), routed client-side. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      (rest.target && rest.target !== "_self")
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handleClick} {...rest} />;
}

/** Navigates once after render (a redirect while rendering would be a side effect in render). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}
