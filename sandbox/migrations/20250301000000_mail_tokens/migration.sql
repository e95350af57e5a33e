-- One-time tokens sent by mail: password reset links and team invitations.
-- Only a SHA-256 of each token is stored; the token itself exists only in the mail.
CREATE TABLE "password_reset_tokens" (
  "id" TEXT PRIMARY KEY,
  "user_id" TEXT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "token_hash" TEXT NOT NULL UNIQUE,
  "expires_at" TIMESTAMPTZ NOT NULL,
  "used_at" TIMESTAMPTZ,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE "team_invitations" (
  "id" TEXT PRIMARY KEY,
  "practice_id" TEXT NOT NULL REFERENCES "practices"("id") ON DELETE CASCADE,
  "email" TEXT NOT NULL,
  "role" "Role" NOT NULL,
  "token_hash" TEXT NOT NULL UNIQUE,
  "invited_by" TEXT REFERENCES "users"("id") ON DELETE SET NULL,
  "expires_at" TIMESTAMPTZ NOT NULL,
  "accepted_at" TIMESTAMPTZ,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);
