import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "../auth/storage.ts";
import {
  ApiError,
  disableTwoFactor,
  errorPlacement,
  getMe,
  logout,
  sendEmailCode,
  startTotpSetup,
} from "./client.ts";

const fetchMock = vi.fn<typeof fetch>();

function answer(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

function lastCall(): { url: unknown; init: RequestInit; headers: Record<string, string> } {
  const [url, init] = fetchMock.mock.lastCall ?? [];
  return { url, init: init ?? {}, headers: (init?.headers ?? {}) as Record<string, string> };
}

/** The last request's body, parsed: the client sends every body as a JSON string. */
function lastJsonBody(): unknown {
  const body = lastCall().init.body;
  if (typeof body !== "string") throw new Error(`The body is not a string: ${typeof body}`);
  return JSON.parse(body);
}

beforeEach(() => {
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  fetchMock.mockReset();
});

describe("API client", () => {
  it("GETs with cookies and no body", async () => {
    fetchMock.mockResolvedValue(
      answer(200, { id: "u1", email: "ann@example.com", twoFactor: { enabled: false, method: null } }),
    );
    const me = await getMe();
    expect(me.email).toBe("ann@example.com");
    const { url, init, headers } = lastCall();
    expect(url).toBe("http://backend.test/api/me");
    expect(init.method).toBe("GET");
    expect(init.credentials).toBe("include");
    expect(init.body).toBeUndefined();
    expect(headers.Authorization).toBeUndefined();
  });

  it("sends a JSON body with Content-Type on every mutating request", async () => {
    fetchMock.mockImplementation(() => Promise.resolve(answer(200, {})));
    await startTotpSetup();
    expect(lastCall().init.body).toBe("{}");
    expect(lastCall().headers["Content-Type"]).toBe("application/json");

    fetchMock.mockResolvedValue(
      answer(202, { enabled: false, method: "email", pending: true, sentTo: "a•••@example.com" }),
    );
    await sendEmailCode();
    expect(lastCall().init.method).toBe("PUT");
    expect(lastJsonBody()).toEqual({ enabled: true, method: "email" });

    fetchMock.mockResolvedValue(answer(200, { enabled: false, method: null }));
    await disableTwoFactor("pw");
    expect(lastCall().init.method).toBe("DELETE");
    expect(lastJsonBody()).toEqual({ password: "pw" });
    expect(lastCall().headers["Content-Type"]).toBe("application/json");

    fetchMock.mockResolvedValue(answer(200, { loggedOut: true }));
    await logout();
    expect(lastCall().url).toBe("http://backend.test/logout");
    expect(lastCall().init.body).toBe("{}");
    expect(lastCall().init.credentials).toBe("include");
  });

  it("adds the Bearer header when the implicit flow left a token", async () => {
    setAccessToken("tok-123");
    fetchMock.mockResolvedValue(answer(200, { enabled: false, method: null }));
    await getMe();
    expect(lastCall().headers.Authorization).toBe("Bearer tok-123");
  });

  it("turns the JSON error shape into an ApiError with its field", async () => {
    fetchMock.mockResolvedValue(
      answer(422, { error: { code: "invalid_password", message: "Wrong password.", field: "password" } }),
    );
    const error = await disableTwoFactor("nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 422,
      code: "invalid_password",
      message: "Wrong password.",
      field: "password",
    });
  });

  it("reports network failures and non-JSON errors readably", async () => {
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    await expect(getMe()).rejects.toMatchObject({ status: 0, code: "network_error" });

    fetchMock.mockResolvedValue(new Response("<html>oops</html>", { status: 502 }));
    await expect(getMe()).rejects.toMatchObject({ status: 502, code: "http_error" });

    fetchMock.mockResolvedValue(new Response("", { status: 401 }));
    await expect(getMe()).rejects.toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("says a bare 429's Retry-After in minutes and seconds, as the servers do", async () => {
    fetchMock.mockResolvedValue(
      new Response("Too Many Requests", { status: 429, headers: { "Retry-After": "472" } }),
    );
    await expect(getMe()).rejects.toMatchObject({
      status: 429,
      code: "too_many_attempts",
      message: "Too many attempts. Try again in 7 minutes 52 seconds.",
    });
  });
});

describe("errorPlacement", () => {
  it("puts a message under the field the server named, when the form has it", () => {
    const error = new ApiError(422, "invalid_code", "That code is not right.", "code");
    expect(errorPlacement(error, ["phoneNumber", "code"])).toEqual({
      field: "code",
      message: "That code is not right.",
    });
  });

  it("puts everything else at the top", () => {
    const unknownField = new ApiError(422, "invalid_value", "Bad.", "enabled");
    expect(errorPlacement(unknownField, ["code"])).toEqual({ field: null, message: "Bad." });
    expect(errorPlacement(new TypeError("Failed to fetch"), ["code"])).toEqual({
      field: null,
      message: "Failed to fetch",
    });
  });
});
