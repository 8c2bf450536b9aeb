package dev.agentdispatch.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class AuditStoreSqliteTest extends AuditStoreContract {
  @TempDir
  Path dir;

  @Override
  String freshJdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("audit.db");
  }
}
