import { defineConfig } from 'vitest/config';

// Unit tests for pure logic only; the smoke specs in tests/ belong to Playwright.
export default defineConfig({
  test: {
    include: ['helpers/**/*.test.ts', 'sandbox/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
