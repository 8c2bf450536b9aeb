package dev.agentdispatch.store;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded PostgreSQL for a whole test class, started before its first test and stopped after its last:
 * {@code @RegisterExtension static final PostgresPerClass pg = new PostgresPerClass();}
 */
public final class PostgresPerClass implements BeforeAllCallback, AfterAllCallback {
  private Postgres pg;

  @Override
  public void beforeAll(ExtensionContext context) {
    pg = Postgres.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (pg != null) {
      pg.close();
      pg = null;
    }
  }

  /** Creates an empty database and returns its JDBC URL. */
  public String freshDatabase() {
    return pg.freshDatabase();
  }
}
