package dev.agentdispatch.store;

import org.junit.jupiter.api.extension.RegisterExtension;

class UserTokenStorePostgresTest extends UserTokenStoreContract {
  @RegisterExtension
  static final PostgresPerClass pg = new PostgresPerClass();

  @Override
  String freshJdbcUrl() {
    return pg.freshDatabase();
  }
}
