package dev.agentdispatch.audit;

import java.util.regex.Pattern;

/**
 * Masks anything shaped like a credential before it is written to the audit trail: GitHub tokens of every
 * prefix, JWTs, PEM private keys, and bearer/basic authorization values.
 */
final class Redactor {
  private static final Pattern SECRETS = Pattern.compile(String.join("|",
      "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)",
      "\\b(gh[pousr]|github_pat)_[A-Za-z0-9_.]{16,}",
      "\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}",
      "(?i)\\b(bearer|token|basic)\\s+[A-Za-z0-9_.=+/-]{16,}"));

  private Redactor() {}

  static String redact(String text) {
    return text == null ? null : SECRETS.matcher(text).replaceAll("[redacted]");
  }
}
