/**
 * Runtime configuration. index.html loads /config.js before the bundle; it sets
 * window.__CONFIG__ = {backendUrl, authServerUrl}. In production backend/spa writes that file,
 * under `vite dev` public/config.js provides the localhost defaults. Read and checked once at start-up.
 */

export interface AppConfig {
  /** Base URL of the backend app (its /login, /signup, /logout and /api/*). No trailing slash. */
  backendUrl: string;
  /** Base URL of the auth server (implicit flow, disable page). No trailing slash. */
  authServerUrl: string;
}

declare global {
  interface Window {
    __CONFIG__?: unknown;
  }
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function checkUrl(raw: Record<string, unknown>, key: keyof AppConfig): string {
  const value = raw[key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(`window.__CONFIG__.${key} is missing: /config.js must set it to a URL.`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`window.__CONFIG__.${key} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`window.__CONFIG__.${key} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url.href.replace(/\/+$/, "");
}

/** Validates a raw config value (exported for tests); throws ConfigError with a readable message. */
export function parseConfig(raw: unknown): AppConfig {
  if (typeof raw !== "object" || raw === null) {
    throw new ConfigError("window.__CONFIG__ is not set: /config.js did not load or did not define it.");
  }
  const record = raw as Record<string, unknown>;
  return {
    backendUrl: checkUrl(record, "backendUrl"),
    authServerUrl: checkUrl(record, "authServerUrl"),
  };
}

let current: AppConfig | null = null;

/** Reads window.__CONFIG__; called once by main.tsx before rendering the app. */
export function loadConfig(): AppConfig {
  current = parseConfig(window.__CONFIG__);
  return current;
}

export function getConfig(): AppConfig {
  if (current === null) {
    throw new ConfigError("Configuration was not loaded (loadConfig() runs at start-up).");
  }
  return current;
}
