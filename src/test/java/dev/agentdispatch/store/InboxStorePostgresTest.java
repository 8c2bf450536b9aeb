package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InboxStorePostgresTest extends InboxStoreContract {
  @RegisterExtension
  static final PostgresPerClass pg = new PostgresPerClass();

  @Override
  String freshJdbcUrl() {
    return pg.freshDatabase();
  }

  @Test
  void sessions_run_in_a_non_utc_zone_on_purpose() {
    String zone = db.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW TimeZone")) {
        rs.next();
        return rs.getString(1);
      }
    });
    assertEquals(Postgres.ZONE, zone);
  }
}
