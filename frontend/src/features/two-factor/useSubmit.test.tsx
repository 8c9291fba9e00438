import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client.ts";
import { deferred } from "../../test/deferred.ts";
import { useSubmit } from "./useSubmit.ts";

function renderSubmit() {
  const onUnauthorized = vi.fn();
  const hook = renderHook(() => useSubmit(["code"], onUnauthorized));
  return { ...hook, onUnauthorized };
}

describe("useSubmit", () => {
  it("sends one request at a time, busy until its answer", async () => {
    const answer = deferred<string>();
    const request = vi.fn(() => answer.promise);
    const onAnswer = vi.fn();
    const { result } = renderSubmit();

    // Two submits before React renders the disabled button (a double click, Enter twice).
    let first!: Promise<void>;
    act(() => {
      first = result.current.submit(request, onAnswer);
      void result.current.submit(request, onAnswer);
    });
    expect(request).toHaveBeenCalledTimes(1);
    expect(result.current.busy).toBe(true);

    await act(async () => {
      answer.resolve("ok");
      await first;
    });
    expect(onAnswer).toHaveBeenCalledExactlyOnceWith("ok");
    expect(result.current.busy).toBe(false);
  });

  it("puts a failure under the field the server named, else at the top", async () => {
    const { result } = renderSubmit();
    await act(() =>
      result.current.submit(
        () => Promise.reject(new ApiError(422, "invalid_code", "That code is not right.", "code")),
        vi.fn(),
      ),
    );
    expect(result.current.errors).toEqual({ code: "That code is not right." });

    await act(() =>
      result.current.submit(
        () => Promise.reject(new ApiError(422, "bad", "Not a field of this form.", "password")),
        vi.fn(),
      ),
    );
    expect(result.current.errors).toEqual({ top: "Not a field of this form." });
  });

  it("hands a 401 to the page and shows nothing", async () => {
    const { result, onUnauthorized } = renderSubmit();
    await act(() =>
      result.current.submit(
        () => Promise.reject(new ApiError(401, "unauthorized", "Please sign in.")),
        vi.fn(),
      ),
    );
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(result.current.errors).toEqual({});
  });

  it("shows nothing a failure handler took over", async () => {
    const { result } = renderSubmit();
    const onFailure = vi.fn(() => true);
    const failure = new ApiError(422, "setup_expired", "This setup expired.");
    await act(() => result.current.submit(() => Promise.reject(failure), vi.fn(), onFailure));
    expect(onFailure).toHaveBeenCalledWith(failure);
    expect(result.current.errors).toEqual({});
  });

  it("does nothing with an answer that comes after the form left the page", async () => {
    const answer = deferred<string>();
    const onAnswer = vi.fn();
    const { result, unmount } = renderSubmit();
    let pending!: Promise<void>;
    act(() => {
      pending = result.current.submit(() => answer.promise, onAnswer);
    });
    unmount();
    answer.resolve("late");
    await pending;
    expect(onAnswer).not.toHaveBeenCalled();
  });
});
