-- User-token mode of the agent worker (issue 5): each person's GitHub App user access token and refresh token,
-- from the OAuth web flow at /auth/github/login. Both tokens are AES-GCM encrypted with TOKEN_ENCRYPTION_KEY
-- (12-byte nonce, then ciphertext and tag; the login and column name are the associated data), never plain text.
-- The SQL is in dev.agentdispatch.store.UserTokenStore. Times are epoch milliseconds passed in by the app.
CREATE TABLE user_token (
  login              VARCHAR(100) PRIMARY KEY,  -- the GitHub login, lower case (tasks name their person by login)
  user_id            BIGINT NOT NULL,           -- the GitHub user id (github_app_authorization names the user by it)
  access_token       ${blob} NOT NULL,          -- encrypted ghu_ token
  access_expires_at  BIGINT,                    -- null: the app opted out of expiring tokens
  refresh_token      ${blob},                   -- encrypted ghr_ token; null without expiring tokens
  refresh_expires_at BIGINT,
  version            INTEGER NOT NULL,          -- bumped on every new pair: a refresh swaps only the pair it read
  refresh_claimed_until BIGINT,                 -- an instance is refreshing this pair until then; others wait for it
  updated_at         BIGINT NOT NULL
);

CREATE INDEX user_token_user ON user_token (user_id);
