const UNITS: readonly [string, number][] = [
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

/** A wait in words, as the servers say it in their messages: "7 minutes 52 seconds", "45 seconds". */
export function inWords(seconds: number): string {
  let remaining = Math.max(1, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(remaining / size);
    remaining %= size;
    if (count) parts.push(`${count} ${unit}${count === 1 ? "" : "s"}`);
  }
  return parts.join(" ");
}
