package dev.agentdispatch.github;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an installation token may do, as the {@code permissions} object of
 * {@code POST /app/installations/{id}/access_tokens}: permission name to "read" or "write". A caller declares
 * only what it needs; the token request carries exactly this map.
 */
public record Permissions(Map<String, String> levels) {
  private static final Set<String> LEVELS = Set.of("read", "write");

  public static final Permissions METADATA_READ = of("metadata", "read");
  public static final Permissions ISSUES_WRITE = of("issues", "write");
  public static final Permissions PULL_REQUESTS_WRITE = of("pull_requests", "write");
  public static final Permissions CONTENTS_READ = of("contents", "read");
  public static final Permissions CONTENTS_WRITE = of("contents", "write");
  public static final Permissions CHECKS_WRITE = of("checks", "write");

  public Permissions {
    for (Map.Entry<String, String> e : levels.entrySet()) {
      if (!e.getKey().matches("[a-z_]+") || !LEVELS.contains(e.getValue())) {
        throw new IllegalArgumentException("bad permission " + e.getKey() + ": " + e.getValue());
      }
    }
    levels = Map.copyOf(new TreeMap<>(levels));
  }

  /** Pairs of name, level: {@code Permissions.of("issues", "write", "contents", "read")}. */
  public static Permissions of(String... nameLevel) {
    if (nameLevel.length % 2 != 0) {
      throw new IllegalArgumentException("give permission names and levels in pairs");
    }
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < nameLevel.length; i += 2) {
      m.merge(nameLevel[i], nameLevel[i + 1], Permissions::higher);
    }
    return new Permissions(m);
  }

  /** The union, keeping the higher level where both name the same permission. */
  public Permissions and(Permissions other) {
    Map<String, String> m = new TreeMap<>(levels);
    other.levels.forEach((k, v) -> m.merge(k, v, Permissions::higher));
    return new Permissions(m);
  }

  /** True when every permission in {@code needed} is granted here at its level or higher. */
  public boolean covers(Permissions needed) {
    return needed.levels.entrySet().stream().allMatch(e -> {
      String have = levels.get(e.getKey());
      boolean implied = e.getKey().equals("metadata") && e.getValue().equals("read");  // every token reads metadata
      return implied || have != null && (have.equals("write") || e.getValue().equals("read"));
    });
  }

  private static String higher(String a, String b) {
    return "write".equals(a) || "write".equals(b) ? "write" : "read";
  }

  @Override
  public String toString() {
    return new TreeMap<>(levels).toString();
  }
}
