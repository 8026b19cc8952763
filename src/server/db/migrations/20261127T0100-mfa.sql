-- Second factor (TOTP, RFC 6238; issue 8 item 1, AUTH-6). The secret is AES-256-GCM ciphertext
-- bound to the column name (crypto/personal-data.ts, field users.totp_secret). A secret without
-- totp_enrolled_at is an enrolment not yet confirmed with a code. totp_last_step is the 30-second
-- time step of the last accepted code: a code of that step or an earlier one is refused, so every
-- code works once.
ALTER TABLE users ADD COLUMN totp_secret_enc bytea;
ALTER TABLE users ADD COLUMN totp_enrolled_at timestamptz;
ALTER TABLE users ADD COLUMN totp_last_step integer;
ALTER TABLE users ADD CONSTRAINT users_totp_enrolled_has_secret CHECK (totp_enrolled_at IS NULL OR totp_secret_enc IS NOT NULL);
