package dev.agentdispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.TestEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line, run as a child JVM with a controlled environment. */
class ServeCommandTest {
  @TempDir
  Path dir;

  record Run(int exit, String out, List<String> errLines) {}

  Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.agentdispatch.cli.Main"));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    String path = System.getenv("PATH");
    pb.environment().clear();
    if (path != null) {
      pb.environment().put("PATH", path);
    }
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("agent-dispatch " + String.join(" ", args) + " did not exit");
    }
    String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        err.lines().filter(l -> !l.isBlank()).toList());
  }

  @Test
  void serve_with_an_empty_environment_exits_2_naming_each_missing_setting() throws Exception {
    Run r = run(Map.of(), "serve");
    assertEquals(Main.BAD_SETTINGS, r.exit(), r.toString());
    assertEquals(3, r.errLines().size(), r.errLines().toString());
    assertTrue(r.errLines().get(0).startsWith("APP_ID"), r.errLines().toString());
    assertTrue(r.errLines().get(1).startsWith("PRIVATE_KEY_PATH"), r.errLines().toString());
    assertTrue(r.errLines().get(2).startsWith("WEBHOOK_SECRET"), r.errLines().toString());
  }

  @Test
  void serve_with_one_bad_setting_exits_2_with_exactly_one_line_naming_it() throws Exception {
    Map<String, String> env = TestEnv.env(dir);
    env.put("PORT", "abc");
    Run r = run(env, "serve");
    assertEquals(Main.BAD_SETTINGS, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.errLines().toString());
    assertTrue(r.errLines().get(0).startsWith("PORT"), r.errLines().toString());
    String all = String.join("\n", r.errLines()) + r.out();
    assertFalse(all.contains(TestEnv.SECRET) || all.contains(TestEnv.ADMIN_TOKEN), all);
  }

  @ParameterizedTest(name = "{0} --help")
  @ValueSource(strings = {"", "serve", "sandbox"})
  void help_exits_0_and_prints_usage(String command) throws Exception {
    Run r = command.isEmpty() ? run(Map.of(), "--help") : run(Map.of(), command, "--help");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("Usage: agent-dispatch"), r.out());
    if (!command.isEmpty()) {
      assertTrue(r.out().contains("agent-dispatch " + command), r.out());
    }
    assertEquals(List.of(), r.errLines());
  }

  @Test
  void serve_help_lists_the_settings() throws Exception {
    Run r = run(Map.of(), "serve", "--help");
    for (String setting : List.of("APP_ID", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "DATABASE_URL", "ADMIN_TOKEN")) {
      assertTrue(r.out().contains(setting), setting + " in " + r.out());
    }
  }

  @Test
  void no_command_prints_usage_and_exits_0() throws Exception {
    Run r = run(Map.of());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("serve") && r.out().contains("sandbox"), r.out());
  }
}
