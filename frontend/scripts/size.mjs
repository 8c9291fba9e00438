// Prints the gzipped size of every file in dist/ and fails when the total is over the budget.
// Usage: npm run build && npm run size
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 200 * 1024;
const dist = fileURLToPath(new URL("../dist", import.meta.url));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let all;
try {
  all = files(dist).sort();
} catch {
  console.error(`No ${dist}: run "npm run build" first.`);
  process.exit(2);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
let total = 0;
for (const file of all) {
  const raw = readFileSync(file);
  const gzipped = gzipSync(raw, { level: 9 }).length;
  total += gzipped;
  console.log(
    `${relative(dist, file).padEnd(40)} ${kb(raw.length).padStart(11)}  gzip ${kb(gzipped).padStart(10)}`,
  );
}
console.log(
  `${"total (gzip)".padEnd(40)} ${"".padStart(11)}       ${kb(total).padStart(10)}  (budget ${kb(BUDGET_BYTES)})`,
);
if (total > BUDGET_BYTES) {
  console.error(`Over budget by ${kb(total - BUDGET_BYTES)}.`);
  process.exit(1);
}
