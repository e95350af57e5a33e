/**
 * The fault matrix's Playwright config: the suite's own, with the tests its
 * sandbox's faults must break marked as expected failures (SMOKE_MATRIX_EXPECT,
 * set by matrix.ts), through the suite's generic `expectFailureOf` option.
 */
import { defineConfig } from '@playwright/test';
import suite from '../../playwright.config.ts';

const expectFailureOf = (process.env.SMOKE_MATRIX_EXPECT ?? '').split(',').filter(Boolean);

export default defineConfig({
  ...suite,
  projects: (suite.projects ?? []).map((p) => ({ ...p, use: { ...p.use, expectFailureOf } })),
});
