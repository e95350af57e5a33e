import { describe, expect, it } from 'vitest';
import { allowOriginVaries, evaluateCorsGrant, lookalikeOrigins } from './cors.ts';
import { evaluation } from './findings.ts';

describe('lookalikeOrigins', () => {
  it('covers the usual allow-list mistakes for a production origin', () => {
    const list = lookalikeOrigins('https://dermaconsent.de');
    expect(list).toEqual([
      'null',
      'https://evil.example',
      'https://dermaconsent.de.evil.example',
      'https://evildermaconsent.de',
      'https://evil.dermaconsent.de',
      'http://dermaconsent.de',
      'https://dermaconsent.de:8443',
    ]);
  });

  it('keeps the port in the spliced hosts and varies it', () => {
    const list = lookalikeOrigins('https://app.example.com:8443/some/path');
    expect(list).toContain('https://app.example.com.evil.example');
    expect(list).toContain('https://app.example.com.evil.example:8443');
    expect(list).toContain('https://evilapp.example.com:8443');
    expect(list).toContain('https://evil.app.example.com:8443');
    expect(list).toContain('http://app.example.com:8443');
    expect(list).toContain('https://app.example.com:8444');
  });

  it('never includes the frontend origin, has no duplicates, and only valid origins', () => {
    for (const frontend of ['https://dermaconsent.de', 'http://127.0.0.1:3000', 'http://localhost', 'https://[::1]:8443']) {
      const list = lookalikeOrigins(frontend);
      const self = new URL(frontend).origin;
      expect(list).not.toContain(self);
      expect(new Set(list).size).toBe(list.length);
      for (const o of list) if (o !== 'null') expect(new URL(o).origin).toBe(o);
    }
  });

  it('drops spliced hosts a browser cannot send (a name ending in an IPv4 address)', () => {
    const list = lookalikeOrigins('http://127.0.0.1:3000');
    expect(list).toContain('http://127.0.0.1.evil.example:3000');
    expect(list).not.toContain('http://evil127.0.0.1:3000');
    expect(list).toContain('https://127.0.0.1:3000');
    expect(list).toContain('http://127.0.0.1:3001');
    expect(list).toContain('http://127.0.0.1.evil.example');
  });

  it('uses another port for a default-port origin on http', () => {
    expect(lookalikeOrigins('http://localhost')).toContain('http://localhost:8080');
    // startsWith(frontend) on an origin with a port: one more digit.
    expect(lookalikeOrigins('http://127.0.0.1:4300')).toContain('http://127.0.0.1:43000');
  });
});

describe('evaluateCorsGrant', () => {
  const front = 'https://dermaconsent.de';

  it('accepts the exact frontend grant with credentials', () => {
    expect(evaluateCorsGrant({ requestOrigin: front, allowOrigin: front, allowCredentials: 'true', expectGrant: true })).toEqual([]);
  });

  it('fails a frontend grant without credentials', () => {
    const { failures } = evaluation(evaluateCorsGrant({ requestOrigin: front, allowOrigin: front, allowCredentials: null, expectGrant: true }));
    expect(failures).toEqual([expect.stringMatching(/granted without credentials.*expected Access-Control-Allow-Credentials: true/)]);
  });

  it('fails a frontend grant that is missing or different', () => {
    for (const allowOrigin of [null, 'https://dermaconsent.de/', 'https://www.dermaconsent.de', `${front}, ${front}`]) {
      const { failures } = evaluation(evaluateCorsGrant({ requestOrigin: front, allowOrigin, allowCredentials: 'true', expectGrant: true }));
      expect(failures, String(allowOrigin)).toEqual([expect.stringMatching(/is not granted exactly/)]);
    }
  });

  it('fails a wildcard for the frontend, and wildcard with credentials always', () => {
    const { failures } = evaluation(evaluateCorsGrant({ requestOrigin: front, allowOrigin: '*', allowCredentials: 'true', expectGrant: true }));
    expect(failures).toEqual([expect.stringMatching(/^wildcard with credentials/), expect.stringMatching(/is not granted exactly/)]);
  });

  it('accepts no grant for a foreign origin', () => {
    expect(evaluateCorsGrant({ requestOrigin: 'https://evil.example', allowOrigin: null, allowCredentials: null, expectGrant: false })).toEqual([]);
    expect(evaluateCorsGrant({ requestOrigin: 'https://evil.example', allowOrigin: front, allowCredentials: 'true', expectGrant: false })).toEqual([]);
  });

  it('fails a reflected foreign origin, naming it', () => {
    const { failures } = evaluation(
      evaluateCorsGrant({ requestOrigin: 'https://evildermaconsent.de', allowOrigin: 'https://evildermaconsent.de', allowCredentials: 'true', expectGrant: false }),
    );
    expect(failures).toEqual([expect.stringMatching(/^foreign Origin https:\/\/evildermaconsent\.de is granted/)]);
  });

  it('fails a reflected null origin', () => {
    const { failures } = evaluation(evaluateCorsGrant({ requestOrigin: 'null', allowOrigin: 'null', allowCredentials: null, expectGrant: false }));
    expect(failures).toEqual([expect.stringMatching(/^foreign Origin null is granted/)]);
  });

  it('fails a wildcard for a foreign origin, once, with or without credentials', () => {
    const plain = evaluation(evaluateCorsGrant({ requestOrigin: 'https://evil.example', allowOrigin: '*', allowCredentials: null, expectGrant: false }));
    expect(plain.failures).toEqual([expect.stringMatching(/https:\/\/evil\.example is granted by a wildcard/)]);
    const creds = evaluation(evaluateCorsGrant({ requestOrigin: 'https://evil.example', allowOrigin: '*', allowCredentials: 'true', expectGrant: false }));
    expect(creds.failures).toEqual([expect.stringMatching(/^wildcard with credentials for Origin https:\/\/evil\.example/)]);
  });

  it('warns when a reflected grant lacks Vary: Origin, only when Vary is given', () => {
    const base = { requestOrigin: front, allowOrigin: front, allowCredentials: 'true', expectGrant: true };
    expect(evaluation(evaluateCorsGrant({ ...base, vary: null })).warnings).toEqual([expect.stringMatching(/expected Vary: Origin/)]);
    expect(evaluateCorsGrant({ ...base, vary: 'Accept-Encoding, Origin' })).toEqual([]);
    expect(evaluateCorsGrant(base)).toEqual([]);
  });
});

describe('evaluateCorsGrant: corrected verdicts (issue 14)', () => {
  const frontend = 'https://app.example.com';
  const base = { requestOrigin: frontend, allowOrigin: frontend, expectGrant: true };

  it('says that only lowercase true counts for Access-Control-Allow-Credentials', () => {
    const { failures } = evaluation(evaluateCorsGrant({ ...base, allowCredentials: 'TRUE' }));
    expect(failures).toEqual([expect.stringMatching(/Access-Control-Allow-Credentials: TRUE, but browsers accept only the lowercase value true/)]);
    expect(failures[0]).not.toMatch(/granted without credentials/);
  });

  it('fails a missing Vary: Origin when the grant was seen to change with the Origin', () => {
    expect(allowOriginVaries([frontend, undefined, frontend])).toBe(true);
    expect(allowOriginVaries([frontend, frontend])).toBe(false);
    const { failures } = evaluation(evaluateCorsGrant({ ...base, allowCredentials: 'true', vary: 'Accept-Encoding', dependsOnOrigin: true }));
    expect(failures).toEqual([expect.stringMatching(/changes with the request's Origin but Vary is "Accept-Encoding"; expected Vary: Origin/)]);
    expect(evaluateCorsGrant({ ...base, allowCredentials: 'true', vary: 'Origin', dependsOnOrigin: true })).toEqual([]);
    expect(evaluateCorsGrant({ ...base, allowCredentials: 'true', vary: '*', dependsOnOrigin: true })).toEqual([]);
  });

  it('mentions a missing Vary on a foreign grant', () => {
    const { failures } = evaluation(evaluateCorsGrant({ requestOrigin: 'https://evil.example', allowOrigin: 'https://evil.example', allowCredentials: 'true', expectGrant: false, vary: null }));
    expect(failures).toEqual([expect.stringMatching(/is granted .*without Vary: Origin a shared cache may serve this grant/)]);
  });
});
