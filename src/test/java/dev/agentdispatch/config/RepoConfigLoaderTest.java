package dev.agentdispatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepoConfigLoaderTest {
  private final Map<String, String> files = new HashMap<>();
  private final RepoConfigLoader loader = new RepoConfigLoader((repo, path) -> Optional.ofNullable(
      files.get(repo + ":" + path)));

  private void file(String repo, String path, String text) {
    files.put(repo + ":" + path, text);
  }

  @Test
  void no_files_at_all_gives_the_defaults() {
    RepoConfigLoader.Resolved r = loader.load("octo/app");
    assertEquals(RepoConfig.DEFAULTS, r.config());
    assertEquals(List.of(), r.problems());
  }

  @Test
  void the_organisation_defaults_apply_and_the_repository_overrides_them_key_by_key() {
    file("octo/.github", RepoConfig.PATH, "max_concurrent_tasks: 4\nlabel: org-label\n");
    file("octo/app", RepoConfig.PATH, "label: app-label\n");
    RepoConfig c = loader.load("octo/app").config();
    assertEquals("app-label", c.label());
    assertEquals(4, c.maxConcurrentTasks());
    assertEquals(4, loader.load("octo/other").config().maxConcurrentTasks(), "a repository without a file");
  }

  @Test
  void extends_points_at_another_repository_and_path() {
    file("octo/.github", RepoConfig.PATH, "max_reviewers: 5\n");
    file("shared/policies", "agents/dispatch.yml", "max_reviewers: 3\nstale_days: 2\n");
    file("octo/app", RepoConfig.PATH, "_extends: shared/policies:agents/dispatch.yml\nstale_days: 9\n");
    RepoConfig c = loader.load("octo/app").config();
    assertEquals(3, c.maxReviewers());
    assertEquals(9, c.staleDays());
  }

  @Test
  void an_invalid_file_keeps_the_last_valid_config_and_reports_the_line() {
    file("octo/app", RepoConfig.PATH, "max_concurrent_tasks: 5\n");
    assertEquals(5, loader.load("octo/app").config().maxConcurrentTasks());

    file("octo/app", RepoConfig.PATH, "max_concurrent_tasks: 6\nboundary: sometimes\n");
    RepoConfigLoader.Resolved r = loader.load("octo/app");
    assertEquals(5, r.config().maxConcurrentTasks(), "the last valid config stays in force");
    assertEquals(1, r.problems().size());
    assertEquals(2, r.problems().get(0).line());
    assertTrue(r.problems().get(0).toString().startsWith("octo/app/.github/agent-dispatch.yml:2: boundary"));

    assertEquals(RepoConfig.DEFAULTS, new RepoConfigLoader((repo, path) -> Optional.of("boundary: x"))
        .load("octo/new").config(), "with no valid config before, the defaults");
  }

  @Test
  void an_invalid_organisation_file_is_reported_too() {
    file("octo/.github", RepoConfig.PATH, "max_reviewers: lots\n");
    RepoConfigLoader.Resolved r = loader.load("octo/app");
    assertEquals(RepoConfig.DEFAULTS, r.config());
    assertEquals("octo/.github/.github/agent-dispatch.yml", r.problems().get(0).file());
  }
}
