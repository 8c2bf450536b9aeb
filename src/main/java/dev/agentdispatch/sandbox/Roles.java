package dev.agentdispatch.sandbox;

import java.util.List;

/** Repository roles in rising order, and GitHub's legacy mapping (maintain to write, triage to read). */
final class Roles {
  static final List<String> ORDER = List.of("none", "read", "triage", "write", "maintain", "admin");

  private Roles() {}

  static int rank(String role) {
    int i = ORDER.indexOf(role == null ? "none" : role);
    return Math.max(i, 0);
  }

  static boolean atLeast(String role, String needed) { return rank(role) >= rank(needed); }

  static String legacy(String role) {
    return switch (role) {
      case "admin" -> "admin";
      case "maintain", "write" -> "write";
      case "triage", "read" -> "read";
      default -> "none";
    };
  }
}
