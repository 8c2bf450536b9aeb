package dev.agentdispatch.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class AuditStorePostgresTest extends AuditStoreContract {
  static Postgres pg;

  @BeforeAll
  static void startPostgres() {
    pg = Postgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    pg.close();
  }

  @Override
  String freshJdbcUrl() {
    return pg.freshDatabase();
  }
}
