package dev.agentdispatch;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared reference files (../shared beside the checkout) from tests. */
public final class TestFiles {
  private TestFiles() {}

  public static Path shared() {
    for (Path p : new Path[] {Path.of("..", "shared"), Path.of("..", "..", "shared"), Path.of("/work/shared")}) {
      if (Files.isDirectory(p.resolve("github"))) {
        return p;
      }
    }
    throw new IllegalStateException("../shared not found beside the checkout");
  }

  public static Path webhookExample(String name) {
    return shared().resolve("github").resolve("webhook-examples").resolve(name);
  }
}
