package dev.agentdispatch;

import dev.agentdispatch.webhook.Handlers;

/**
 * The one list of event handlers the app runs, read top to bottom (no scanning). Each handler is a small
 * class in the package that owns its job; docs/handlers.md has a section for each.
 */
final class AppHandlers {
  private AppHandlers() {}

  static void register(Handlers handlers) {
    // Triggers, the task queue and governance register here as they land (issues 5 and 6).
  }
}
