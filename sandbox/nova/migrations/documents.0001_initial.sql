-- Nova Home Care's documents app: a form goes in, a signed PDF comes out (Celery + pyHanko in the real system).
CREATE TABLE documents (
  id SERIAL PRIMARY KEY,
  form JSONB NOT NULL,
  status VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'signed', 'failed')),
  error TEXT,
  pdf BYTEA,
  sha256 CHAR(64),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  signed_at TIMESTAMPTZ
);
CREATE INDEX documents_status_created_at_idx ON documents (status, created_at);
