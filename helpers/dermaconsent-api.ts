/**
 * DermaConsent's API as docs/targets/dermaconsent.md describes it, for seeding and reading
 * through the API. Each call checks the documented success status and throws
 * with method, URL, status and a trimmed body otherwise (never the request
 * body: it may hold a password).
 */
import { describe, HttpClient, type HttpResponse } from './http.ts';

export interface ApiUser {
  id: string;
  email: string;
  name: string | null;
  practiceId: string | null;
  role: string;
}

export interface AuthResult {
  accessToken: string;
  user: ApiUser;
}

export interface CreatedConsent {
  id: string;
  token: string;
  type: string;
  status: string;
  expiresAt: string;
}

export interface AuditItem {
  id: string;
  practiceId: string | null;
  userId: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  createdAt: string;
}

export class ApiError extends Error {
  constructor(
    readonly response: HttpResponse,
    expected: number[],
  ) {
    super(`expected ${expected.join(' or ')} from ${describe(response)}`);
  }
}

function expectStatus(res: HttpResponse, ...expected: number[]): HttpResponse {
  if (!expected.includes(res.status)) throw new ApiError(res, expected);
  return res;
}

export class DermaConsentApi {
  constructor(
    readonly http: HttpClient,
    private token?: string,
  ) {}

  /** A client for the same API acting as another session (or none). */
  as(token: string | undefined): DermaConsentApi {
    return new DermaConsentApi(this.http, token);
  }

  private auth(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  get(path: string): Promise<HttpResponse> {
    return this.http.get(path, { headers: this.auth() });
  }

  post(path: string, body?: unknown): Promise<HttpResponse> {
    return this.http.request('POST', path, { headers: this.auth(), body: body ?? {} });
  }

  async register(body: { email: string; password: string; name?: string; locale?: string }): Promise<AuthResult> {
    return expectStatus(await this.post('/api/auth/register', body), 201).json as AuthResult;
  }

  async login(email: string, password: string): Promise<AuthResult> {
    return expectStatus(await this.post('/api/auth/login', { email, password }), 200).json as AuthResult;
  }

  /** The real API answers 201 here; needed after creating a practice (the old token says practiceId null). */
  async refreshToken(): Promise<AuthResult> {
    return expectStatus(await this.post('/api/auth/refresh-token'), 201).json as AuthResult;
  }

  async createPractice(body: {
    name: string;
    dsgvoContact: string;
    publicKey: JsonWebKey;
    encryptedPrivKey: { salt: string; iv: string; ciphertext: string };
  }): Promise<{ id: string; name: string }> {
    return expectStatus(await this.post('/api/practice', body), 201).json as { id: string; name: string };
  }

  async practice(): Promise<{ id: string; name: string; publicKey: JsonWebKey; encryptedPrivKey: unknown }> {
    return expectStatus(await this.get('/api/practice'), 200).json as {
      id: string;
      name: string;
      publicKey: JsonWebKey;
      encryptedPrivKey: unknown;
    };
  }

  async createConsent(type: string, patientEmail?: string): Promise<CreatedConsent> {
    const res = await this.post('/api/consent', patientEmail ? { type, patientEmail } : { type });
    if (res.status === 403 && (res.json as { errorCode?: string } | undefined)?.errorCode === 'CONSENT_LIMIT_REACHED') {
      throw new Error(
        `the synthetic practice reached its monthly consent quota (403 CONSENT_LIMIT_REACHED at ${res.url}); each run registers a fresh practice, so this means one run created more than 25 consents`,
      );
    }
    return expectStatus(res, 201).json as CreatedConsent;
  }

  /** Public: no session. */
  publicConsent(token: string): Promise<HttpResponse> {
    return this.as(undefined).get(`/api/consent/${encodeURIComponent(token)}`);
  }

  async audit(query: Record<string, string> = {}): Promise<{ items: AuditItem[]; total: number; totalPages: number }> {
    const qs = new URLSearchParams(query).toString();
    return expectStatus(await this.get(`/api/audit${qs ? `?${qs}` : ''}`), 200).json as {
      items: AuditItem[];
      total: number;
      totalPages: number;
    };
  }

  /**
   * Every audit entry since `since`, newest first, across pages (25 a page),
   * bounded. Unfiltered: only page is sent, which every version of the API
   * takes (the real one refuses its own filters), and the date is checked here.
   */
  async auditSince(since: Date, maxPages = 8): Promise<AuditItem[]> {
    const out: AuditItem[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const res = await this.audit({ page: String(page) });
      const recent = res.items.filter((i) => new Date(i.createdAt).getTime() >= since.getTime());
      out.push(...recent);
      if (page >= res.totalPages || res.items.length === 0 || recent.length < res.items.length) break;
    }
    return out;
  }

  /** POST /api/audit/vault-event with any action: the response, unchecked (DC-AUDIT-2 asks what the API allows). */
  postVaultEvent(action: string): Promise<HttpResponse> {
    return this.post('/api/audit/vault-event', { action });
  }
}
