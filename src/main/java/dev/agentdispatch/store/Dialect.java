package dev.agentdispatch.store;

import java.util.Map;

/** What differs between SQLite and PostgreSQL, chosen once from the JDBC URL. */
public enum Dialect {
  // key_pk: a primary key the app assigns (another table's id); on SQLite INTEGER PRIMARY KEY makes it the rowid,
  // one b-tree instead of a table plus an index.
  SQLITE(Map.of("id_pk", "INTEGER PRIMARY KEY", "key_pk", "INTEGER PRIMARY KEY", "blob", "BLOB"), ""),
  POSTGRES(Map.of("id_pk", "BIGSERIAL PRIMARY KEY", "key_pk", "BIGINT PRIMARY KEY", "blob", "BYTEA"),
      " FOR UPDATE SKIP LOCKED");

  private final Map<String, String> placeholders;
  private final String skipLocked;

  Dialect(Map<String, String> placeholders, String skipLocked) {
    this.placeholders = placeholders;
    this.skipLocked = skipLocked;
  }

  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    throw new IllegalArgumentException("unsupported database URL (use jdbc:sqlite: or jdbc:postgresql:)");
  }

  /** Flyway placeholders that let one set of migrations serve both databases. */
  Map<String, String> placeholders() {
    return placeholders;
  }

  /** Appended to a claim's inner SELECT: row locks that other instances skip (empty on SQLite's single writer). */
  String skipLocked() {
    return skipLocked;
  }
}
