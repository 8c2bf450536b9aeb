package dev.agentdispatch.task;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The queue contract on SQLite: a file in a temp folder, one writer. */
final class TaskQueueSqliteTest extends TaskQueueContract {
  @TempDir
  Path dir;

  @Override
  String newDatabaseUrl() {
    return TaskTestDatabases.sqliteUrl(dir);
  }
}
