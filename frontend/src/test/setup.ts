import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { loadConfig } from "../config.ts";

window.__CONFIG__ = { backendUrl: "http://backend.test", authServerUrl: "http://auth.test" };
loadConfig();
window.scrollTo = () => undefined; // jsdom does not implement it

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, "", "/");
});
