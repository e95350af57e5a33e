-- DermaConsent schema, with the table and column names the real (Prisma) schema maps to.
CREATE TYPE "Role" AS ENUM ('ADMIN', 'ARZT', 'EMPFANG');
CREATE TYPE "SubscriptionPlan" AS ENUM ('FREE_TRIAL', 'STARTER', 'PROFESSIONAL', 'ENTERPRISE');
CREATE TYPE "SubscriptionStatus" AS ENUM ('TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELLED', 'EXPIRED');
CREATE TYPE "ConsentStatus" AS ENUM ('PENDING', 'FILLED', 'SIGNED', 'COMPLETED', 'REVOKED', 'EXPIRED');

CREATE TABLE "practices" (
  "id" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  "dsgvo_contact" TEXT NOT NULL,
  "public_key" JSONB NOT NULL,
  "encrypted_priv_key" JSONB NOT NULL,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE "users" (
  "id" TEXT PRIMARY KEY,
  "email" TEXT NOT NULL UNIQUE,
  "name" TEXT,
  "image" TEXT,
  "password_hash" TEXT,
  "role" "Role" NOT NULL DEFAULT 'ADMIN',
  "practice_id" TEXT REFERENCES "practices"("id") ON DELETE SET NULL,
  "locale" TEXT NOT NULL DEFAULT 'de',
  "failed_login_attempts" INTEGER NOT NULL DEFAULT 0,
  "locked_until" TIMESTAMPTZ,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE "subscriptions" (
  "id" TEXT PRIMARY KEY,
  "practice_id" TEXT NOT NULL UNIQUE REFERENCES "practices"("id") ON DELETE CASCADE,
  "plan" "SubscriptionPlan" NOT NULL DEFAULT 'FREE_TRIAL',
  "status" "SubscriptionStatus" NOT NULL DEFAULT 'TRIALING',
  "stripe_customer_id" TEXT,
  "stripe_subscription_id" TEXT,
  "trial_ends_at" TIMESTAMPTZ,
  "current_period_end" TIMESTAMPTZ,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE "patients" (
  "id" TEXT PRIMARY KEY,
  "practice_id" TEXT NOT NULL REFERENCES "practices"("id") ON DELETE CASCADE,
  "encrypted_name" TEXT NOT NULL,
  "encrypted_dob" TEXT NOT NULL,
  "encrypted_email" TEXT,
  "lookup_hash" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE ("practice_id", "lookup_hash")
);

CREATE TABLE "consent_forms" (
  "id" TEXT PRIMARY KEY,
  "practice_id" TEXT NOT NULL REFERENCES "practices"("id") ON DELETE CASCADE,
  "patient_id" TEXT REFERENCES "patients"("id") ON DELETE SET NULL,
  "created_by" TEXT REFERENCES "users"("id") ON DELETE SET NULL,
  "type" TEXT NOT NULL,
  "status" "ConsentStatus" NOT NULL DEFAULT 'PENDING',
  "token" TEXT NOT NULL UNIQUE,
  "patient_email" TEXT,
  "encrypted_responses" JSONB,
  "encrypted_session_key" TEXT,
  "comprehension_score" DOUBLE PRECISION,
  "comprehension_answers" JSONB,
  "locale" TEXT,
  "signature_ip" TEXT,
  "signature_timestamp" TIMESTAMPTZ,
  "pdf_storage_path" TEXT,
  "pdf_signature_hash" TEXT,
  "expires_at" TIMESTAMPTZ NOT NULL,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX "consent_forms_practice_id_idx" ON "consent_forms"("practice_id");

CREATE TABLE "audit_logs" (
  "id" TEXT PRIMARY KEY,
  "practice_id" TEXT,
  "user_id" TEXT,
  "action" TEXT NOT NULL,
  "entity_type" TEXT,
  "entity_id" TEXT,
  "metadata" JSONB,
  "ip_address" TEXT,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX "audit_logs_practice_id_created_at_idx" ON "audit_logs"("practice_id", "created_at");
