package dev.agentdispatch.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class JudgementStoreSqliteTest extends JudgementStoreContract {
  @TempDir
  Path dir;

  @Override
  String freshJdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("judgement.db");
  }
}
