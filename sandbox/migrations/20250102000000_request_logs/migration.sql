-- Request logging of the debug middleware. Stays empty in a healthy deployment;
-- a payload logged here in clear is plaintext at rest outside the encrypted columns.
CREATE TABLE "request_logs" (
  "id" TEXT PRIMARY KEY,
  "path" TEXT NOT NULL,
  "body" JSONB,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);
