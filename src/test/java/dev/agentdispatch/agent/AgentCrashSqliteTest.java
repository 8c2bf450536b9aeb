package dev.agentdispatch.agent;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class AgentCrashSqliteTest extends AgentCrashContract {
  @TempDir
  Path dir;

  @Override
  String databaseUrl() {
    return "jdbc:sqlite:" + dir.resolve("agent.db");
  }
}
