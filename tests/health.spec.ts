/**
 * Is it up? The API's liveness and readiness, and the frontend loading clean.
 * Read-only: safe against prod.
 */
import { expect, test } from '../fixtures/index.ts';
import { describe } from '../helpers/http.ts';

test.describe('DermaConsent health', { tag: ['@dermaconsent', '@prod-safe'] }, () => {
  test('DC-HEALTH-1 GET /api/health answers 200 with status "ok"', async ({ dc }) => {
    const res = await dc.api.get('/api/health');
    expect(res.status, describe(res)).toBe(200);
    expect(res.json, `body of ${describe(res)}`).toMatchObject({ status: 'ok' });
  });

  // The real endpoint answers 200 even when the database is down, so only the body decides.
  test('DC-HEALTH-2 DC-DB-1 readiness reports the database ok in its body, not only its status', async ({ dc }) => {
    const res = await dc.api.get('/api/health/ready');
    expect(res.status, describe(res)).toBe(200);
    const body = res.json as { status?: unknown; checks?: { database?: unknown } } | undefined;
    expect(
      { status: body?.status, database: body?.checks?.database },
      `readiness must say status "ok" and checks.database "ok"; ${describe(res)}`,
    ).toEqual({ status: 'ok', database: 'ok' });
  });

  test('DC-HEALTH-3 the frontend loads with no console error and no failed request', async ({ dc, page, pageWatch }) => {
    const res = await page.goto(`${dc.frontendUrl}/`);
    expect(res?.status(), `GET ${dc.frontendUrl}/`).toBe(200);
    // "Loaded" includes the API calls the page makes on load; networkidle is the end of them.
    await page.waitForLoadState('networkidle');
    await expect(page.locator('body')).not.toBeEmpty();
    expect(pageWatch.problems(), `problems while ${dc.frontendUrl}/ loaded`).toEqual([]);
  });
});
