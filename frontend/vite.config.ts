/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The frontend is served on :3000 (the README's process table, FRONTEND_URL under Configuration); the
// backend app's CORS allows only that origin.
export default defineConfig({
  plugins: [react()],
  server: { port: 3000, strictPort: true },
  preview: { port: 3000, strictPort: true },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
    // Above findBy*'s 5 s wait (src/test/setup.ts), so a slow machine fails on the assertion, not the clock.
    testTimeout: 15_000,
  },
});
