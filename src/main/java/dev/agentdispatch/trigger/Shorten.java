package dev.agentdispatch.trigger;

/** Keeps quoted user text short in messages, so a hostile value cannot flood a reply. */
final class Shorten {
  static final int MAX_QUOTED = 80;

  private Shorten() {}

  static String of(String s) {
    if (s.length() <= MAX_QUOTED) {
      return s;
    }
    int end = MAX_QUOTED;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "…";
  }
}
