/**
 * Every go-live checklist item (both systems) with its ID and kind, so the
 * readiness report can list all of them, checked or not. Kept in step with the
 * shared CHECKLIST.md.
 */

export type ItemKind = 'auto' | 'partial' | 'manual';

export interface ChecklistItem {
  id: string;
  system: 'DermaConsent' | 'Nova Home Care';
  item: string;
  kind: ItemKind;
  /** For manual items: what a person does; for partial ones: what is left to a person. */
  instruction?: string;
}

export const CHECKLIST: readonly ChecklistItem[] = [
  { id: 'DC-DB-1', system: 'DermaConsent', kind: 'auto', item: 'PostgreSQL reachable from the API (readiness reports database ok)' },
  { id: 'DC-DB-2', system: 'DermaConsent', kind: 'auto', item: 'Database connection uses TLS (`sslmode=require`; the server reports SSL for the session)' },
  { id: 'DC-DB-3', system: 'DermaConsent', kind: 'manual', item: 'Storage 10 GB+ with auto-scaling', instruction: 'Check in the database provider console: storage is 10 GB or more and auto-scaling is on.' },
  { id: 'DC-DB-4', system: 'DermaConsent', kind: 'manual', item: 'Backups daily, 30-day retention', instruction: 'Check in the database provider console: daily backups with 30-day retention; note the last successful backup.' },
  { id: 'DC-MIG-1', system: 'DermaConsent', kind: 'auto', item: 'All migrations applied, none failed (`_prisma_migrations`: every row finished, none rolled back)' },
  { id: 'DC-SEC-1', system: 'DermaConsent', kind: 'partial', item: 'AUTH_SECRET is strong: tokens signed with well-known weak or default secrets are rejected', instruction: 'The secret itself cannot be read from outside: confirm AUTH_SECRET is long, random and unique to production.' },
  { id: 'DC-SEC-2', system: 'DermaConsent', kind: 'auto', item: 'FRONTEND_URL is the production domain (CORS allows exactly it; links in emails point to it)' },
  { id: 'DC-SEC-3', system: 'DermaConsent', kind: 'partial', item: 'DNS records point at the hosting provider (the domains resolve and serve the app)', instruction: 'Confirm the DNS records in the provider console match the hosting provider\'s instructions.' },
  { id: 'DC-SEC-4', system: 'DermaConsent', kind: 'auto', item: 'TLS certificate valid for the domain and not close to expiry; HTTP redirects to HTTPS' },
  { id: 'DC-SEC-5', system: 'DermaConsent', kind: 'manual', item: 'Secrets held in a secrets manager, not plain .env files on servers', instruction: 'Check the deployment: secrets come from the secrets manager, no plain .env files on servers.' },
  { id: 'DC-STORE-1', system: 'DermaConsent', kind: 'partial', item: 'Storage buckets exist: consent-pdfs, encrypted-photos, practice-assets', instruction: 'Confirm in the storage console that all three buckets exist with the intended access policies.' },
  { id: 'DC-STORE-2', system: 'DermaConsent', kind: 'auto', item: 'Storage credentials work: upload then download round-trips byte-identical' },
  { id: 'DC-PAY-1', system: 'DermaConsent', kind: 'auto', item: 'Stripe account in the expected mode (live key in prod, test key elsewhere)' },
  { id: 'DC-PAY-2', system: 'DermaConsent', kind: 'auto', item: 'The four price IDs exist and are active (starter/professional, monthly/yearly)' },
  { id: 'DC-PAY-3', system: 'DermaConsent', kind: 'auto', item: 'Subscription webhook endpoint `/api/billing/webhook` registered with customer.subscription.created/updated/deleted and invoice.payment_failed' },
  { id: 'DC-PAY-4', system: 'DermaConsent', kind: 'auto', item: 'Consent payment webhook `/api/stripe/webhook` registered with checkout.session.completed' },
  { id: 'DC-PAY-5', system: 'DermaConsent', kind: 'auto', item: 'Webhook secrets configured: correctly signed events are accepted, unsigned/forged/stale ones rejected with no state change' },
  { id: 'DC-MAIL-1', system: 'DermaConsent', kind: 'auto', item: 'Sending domain verified: SPF, DKIM and DMARC records present' },
  { id: 'DC-MAIL-2', system: 'DermaConsent', kind: 'auto', item: 'Email API key works: mail is actually delivered' },
  { id: 'DC-MAIL-3', system: 'DermaConsent', kind: 'auto', item: 'From address is the configured sender (e.g. noreply@ the product domain)' },
  { id: 'DC-OAUTH-1', system: 'DermaConsent', kind: 'auto', item: 'Google sign-in redirects to Google with redirect URI `<FRONTEND_URL>/api/auth/callback/google`' },
  { id: 'DC-OAUTH-2', system: 'DermaConsent', kind: 'auto', item: 'Microsoft sign-in redirects with redirect URI `<FRONTEND_URL>/api/auth/callback/microsoft-entra-id`' },
  { id: 'DC-OAUTH-3', system: 'DermaConsent', kind: 'auto', item: 'Apple sign-in (optional) redirects with redirect URI `<FRONTEND_URL>/api/auth/callback/apple`' },
  { id: 'DC-HEALTH-1', system: 'DermaConsent', kind: 'auto', item: '`GET /api/health` returns `{"status":"ok"}`' },
  { id: 'DC-HEALTH-2', system: 'DermaConsent', kind: 'auto', item: '`GET /api/health/ready` reports the database ok (the body, not only the status code)' },
  { id: 'DC-HEALTH-3', system: 'DermaConsent', kind: 'auto', item: 'Frontend loads at the production URL without console errors' },
  { id: 'DC-FLOW-1', system: 'DermaConsent', kind: 'auto', item: 'Registration works (email/password)' },
  { id: 'DC-FLOW-2', system: 'DermaConsent', kind: 'auto', item: 'Practice setup creates an RSA keypair (public key stored as an RSA JWK, private key only as an encrypted blob)' },
  { id: 'DC-FLOW-3', system: 'DermaConsent', kind: 'auto', item: 'Vault unlock/lock cycle works with the master password (and a wrong one fails)' },
  { id: 'DC-FLOW-4', system: 'DermaConsent', kind: 'auto', item: 'Consent form creation generates a valid public link' },
  { id: 'DC-FLOW-5', system: 'DermaConsent', kind: 'auto', item: 'Public consent form loads and submits' },
  { id: 'DC-FLOW-6', system: 'DermaConsent', kind: 'auto', item: 'Client-side encryption works: the stored data is ciphertext; the submitted plaintext is nowhere in the database' },
  { id: 'DC-FLOW-7', system: 'DermaConsent', kind: 'auto', item: 'Consent decryption works after vault unlock (the submitted plaintext comes back)' },
  { id: 'DC-INT-1', system: 'DermaConsent', kind: 'auto', item: 'Stripe checkout processes a test payment' },
  { id: 'DC-INT-2', system: 'DermaConsent', kind: 'auto', item: 'Stripe webhook updates subscription status' },
  { id: 'DC-INT-3', system: 'DermaConsent', kind: 'auto', item: 'Email delivery works for every template' },
  { id: 'DC-INT-4', system: 'DermaConsent', kind: 'partial', item: 'OAuth login works for each configured provider', instruction: 'Complete one real sign-in per provider by hand (the suite checks the redirects only).' },
  { id: 'DC-INT-5', system: 'DermaConsent', kind: 'auto', item: 'File upload/download works (PDFs, photos)' },
  { id: 'DC-PDF-1', system: 'DermaConsent', kind: 'auto', item: 'Consent PDF generation completes within its deadline (nothing stuck pending)' },
  { id: 'DC-PDF-2', system: 'DermaConsent', kind: 'auto', item: 'The downloaded PDF matches its recorded SHA-256 and, where it carries a digital signature, the signature validates' },
  { id: 'DC-AUDIT-1', system: 'DermaConsent', kind: 'auto', item: 'Audit log captures the events of the run (login, vault unlock/lock, consent created/submitted, PDF generated)' },
  { id: 'DC-AUDIT-2', system: 'DermaConsent', kind: 'auto', item: 'The audit log cannot be written with actions a client may not claim (added here)' },
  { id: 'DC-PRIV-1', system: 'DermaConsent', kind: 'auto', item: 'Public consent responses carry no personal or internal data beyond what the form needs (added here)' },
  { id: 'DC-HDR-1', system: 'DermaConsent', kind: 'auto', item: 'HSTS present on all responses (max-age at least one year, includeSubDomains)' },
  { id: 'DC-HDR-2', system: 'DermaConsent', kind: 'auto', item: 'CSP present and not blocking functionality (no violations on the key pages)' },
  { id: 'DC-HDR-3', system: 'DermaConsent', kind: 'auto', item: 'X-Request-Id present on API responses (and a supplied one is echoed)' },
  { id: 'DC-HDR-4', system: 'DermaConsent', kind: 'auto', item: "Pages cannot be framed by other sites: X-Frame-Options DENY/SAMEORIGIN or CSP frame-ancestors 'none'/'self'/exact origins (added here)" },
  { id: 'DC-HDR-5', system: 'DermaConsent', kind: 'auto', item: 'Cookies are Secure, HttpOnly when they carry a session, SameSite Lax or Strict; __Host-/__Secure- prefixes honoured (added here)' },
  { id: 'DC-HDR-6', system: 'DermaConsent', kind: 'auto', item: 'X-Content-Type-Options: nosniff on every response, JSON with patient data and PDFs included (added here)' },
  { id: 'DC-HDR-7', system: 'DermaConsent', kind: 'auto', item: 'Referrer-Policy sends no full URL to other sites (no unsafe-url or no-referrer-when-downgrade): consent links carry tokens (added here)' },
  { id: 'DC-HDR-8', system: 'DermaConsent', kind: 'auto', item: 'Authenticated API responses, the public consent data and the consent PDF are Cache-Control: no-store (added here)' },
  { id: 'DC-HDR-9', system: 'DermaConsent', kind: 'auto', item: 'Advice, warnings only: COOP, CORP and Permissions-Policy set; Server/X-Powered-By disclose no versions (added here)' },
  { id: 'DC-MON-1', system: 'DermaConsent', kind: 'partial', item: 'Error monitoring configured (SENTRY_DSN)', instruction: 'Trigger a test error and confirm it arrives in Sentry.' },
  { id: 'DC-MON-2', system: 'DermaConsent', kind: 'manual', item: 'Uptime monitoring pings /api/health every 60 s', instruction: 'Check the uptime monitor: it pings /api/health every 60 s and alerts on failure.' },
  { id: 'DC-MON-3', system: 'DermaConsent', kind: 'manual', item: 'Database backup schedule verified', instruction: 'Check the backup schedule and restore the latest backup to a scratch database.' },
  { id: 'DC-MON-4', system: 'DermaConsent', kind: 'manual', item: 'Alert notifications configured (downtime, errors, failed payments)', instruction: 'Check alert routing for downtime, errors and failed payments: send a test alert.' },
  { id: 'DC-MON-5', system: 'DermaConsent', kind: 'manual', item: 'Log aggregation set up (stdout from containers)', instruction: 'Check that container stdout reaches the log aggregation and is searchable.' },
  { id: 'DC-MON-6', system: 'DermaConsent', kind: 'manual', item: 'Disk usage alerts for database and file storage', instruction: 'Check disk usage alerts exist for the database and file storage.' },
  { id: 'NHC-MAIL-1', system: 'Nova Home Care', kind: 'auto', item: 'SendGrid key works: transactional mail is delivered' },
  { id: 'NHC-MAIL-2', system: 'Nova Home Care', kind: 'auto', item: 'Sender identity no longer `Medical Web Experts <devops@medicalwebexperts.com>`; it is the configured Nova Home Care address' },
  { id: 'NHC-MAIL-3', system: 'Nova Home Care', kind: 'auto', item: 'Sending domain verified: SPF and DKIM records present' },
  { id: 'NHC-CAPTCHA-1', system: 'Nova Home Care', kind: 'auto', item: 'reCAPTCHA v3 protects the contact form: a submission without a valid token is rejected' },
  { id: 'NHC-CLEAR-1', system: 'Nova Home Care', kind: 'partial', item: 'Clear Checks: disabled as deprecated, or configured with a key that works', instruction: 'Confirm with the product owner whether Clear Checks is deprecated.' },
  { id: 'NHC-S3-1', system: 'Nova Home Care', kind: 'auto', item: 'Public bucket serves the collectstatic output (static assets load)' },
  { id: 'NHC-S3-2', system: 'Nova Home Care', kind: 'auto', item: 'Private bucket is private: documents are not readable without a presigned URL, and presigned URLs expire' },
  { id: 'NHC-S3-3', system: 'Nova Home Care', kind: 'auto', item: 'The app can write to and read from both buckets' },
  { id: 'NHC-PDF-1', system: 'Nova Home Care', kind: 'auto', item: 'Signing certificate present: a submitted form\'s document reaches the signed state within its deadline (never stuck pending)' },
  { id: 'NHC-PDF-2', system: 'Nova Home Care', kind: 'auto', item: 'The signed PDF\'s signature validates: covers the whole file, digest matches, signed by the expected Nova Home Care certificate, certificate within its validity period' },
  { id: 'NHC-FE-1', system: 'Nova Home Care', kind: 'auto', item: 'The frontend build no longer points at the previous vendor\'s Netlify deployment (`VITE_SITE_BASE_URL` is the new domain)' },
  { id: 'NHC-FE-2', system: 'Nova Home Care', kind: 'auto', item: 'The frontend static build is served from the production domain' },
  { id: 'NHC-SECRET-1', system: 'Nova Home Care', kind: 'partial', item: 'DJANGO_SECRET_KEY unique to production (not checkable from outside; DEBUG off is checked instead: error pages leak no traceback or settings)', instruction: 'Confirm DJANGO_SECRET_KEY is unique to production (not checkable from outside).' },
  { id: 'NHC-HOSTS-1', system: 'Nova Home Care', kind: 'auto', item: 'ALLOWED_HOSTS enforced: a request with a foreign Host header is rejected' },
  { id: 'NHC-HOSTS-2', system: 'Nova Home Care', kind: 'auto', item: 'CORS: only the configured frontend origins receive CORS grants' },
  { id: 'NHC-ORG-1', system: 'Nova Home Care', kind: 'auto', item: 'The three organization tokens exist and match the fixtures (Nova Health First, Essential Home Health Care, Aurora Home Health)' },
  { id: 'NHC-DB-1', system: 'Nova Home Care', kind: 'partial', item: 'Database loaded from the expected fixtures', instruction: 'Compare the loaded fixtures with the expected fixture files.' },
];

const ID_AT_START = /^((?:DC|NHC)-[A-Z0-9]+-\d+)(?=\s|,|$)/;

/** The checklist IDs a test title starts with: "DC-HEALTH-2 DC-DB-1 readiness ..." gives both. */
export function checklistIds(title: string): string[] {
  const ids: string[] = [];
  let rest = title.trim();
  for (let m = ID_AT_START.exec(rest); m; m = ID_AT_START.exec(rest)) {
    ids.push(m[1] as string);
    rest = rest.slice(m[0].length).replace(/^[\s,]+/, '');
  }
  return ids;
}
