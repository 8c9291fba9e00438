import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";
import { loadConfig } from "../config.ts";

window.__CONFIG__ = { backendUrl: "http://backend.test", authServerUrl: "http://auth.test" };
loadConfig();
window.scrollTo = () => undefined; // jsdom does not implement it
// findBy* waits up to 1 s by default; a busy 2-core CI machine can need longer for a mocked round trip.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, "", "/");
});
