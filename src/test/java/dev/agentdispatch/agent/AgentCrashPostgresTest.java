package dev.agentdispatch.agent;

import dev.agentdispatch.store.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class AgentCrashPostgresTest extends AgentCrashContract {
  private static Postgres pg;

  @BeforeAll
  static void startPostgres() {
    pg = Postgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  String databaseUrl() {
    return pg.freshDatabase();
  }
}
