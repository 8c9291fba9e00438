import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { loadConfig } from "../config.ts";

window.__CONFIG__ = { backendUrl: "http://backend.test", authServerUrl: "http://auth.test" };
loadConfig();

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
  window.localStorage.clear();
});
