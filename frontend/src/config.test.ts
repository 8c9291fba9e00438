import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config.ts";

describe("parseConfig", () => {
  it("reads both URLs and drops a trailing slash", () => {
    expect(
      parseConfig({ backendUrl: "http://localhost:8081/", authServerUrl: "http://localhost:8080" }),
    ).toEqual({
      backendUrl: "http://localhost:8081",
      authServerUrl: "http://localhost:8080",
    });
  });

  it.each([
    [undefined, /window.__CONFIG__ is not set/],
    [{ authServerUrl: "http://a" }, /backendUrl is missing/],
    [{ backendUrl: "http://b", authServerUrl: "not a url" }, /authServerUrl is not a URL/],
    [{ backendUrl: "javascript:alert(1)", authServerUrl: "http://a" }, /must be an http\(s\) URL/],
  ])("refuses %j", (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });
});
