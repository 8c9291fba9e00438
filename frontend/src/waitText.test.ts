import { describe, expect, it } from "vitest";
import { inWords } from "./waitText.ts";

describe("inWords", () => {
  it.each([
    [45, "45 seconds"],
    [60, "1 minute"],
    [61, "1 minute 1 second"],
    [472, "7 minutes 52 seconds"],
    [3725, "1 hour 2 minutes 5 seconds"],
    [0, "1 second"],
  ])("%i s is %s", (seconds, words) => {
    expect(inWords(seconds)).toBe(words);
  });
});
