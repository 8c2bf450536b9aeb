package dev.agentdispatch.store;

import org.junit.jupiter.api.extension.RegisterExtension;

class AuditStorePostgresTest extends AuditStoreContract {
  @RegisterExtension
  static final PostgresPerClass pg = new PostgresPerClass();

  @Override
  String freshJdbcUrl() {
    return pg.freshDatabase();
  }
}
