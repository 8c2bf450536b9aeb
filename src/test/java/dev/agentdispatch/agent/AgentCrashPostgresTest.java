package dev.agentdispatch.agent;

import dev.agentdispatch.store.PostgresPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentCrashPostgresTest extends AgentCrashContract {
  @RegisterExtension
  static final PostgresPerClass pg = new PostgresPerClass();

  @Override
  String databaseUrl() {
    return pg.freshDatabase();
  }
}
