package dev.agentdispatch.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class UserTokenStoreSqliteTest extends UserTokenStoreContract {
  @TempDir
  Path dir;

  @Override
  String freshJdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("tokens.db");
  }
}
