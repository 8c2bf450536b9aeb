package dev.agentdispatch.cli;

import dev.agentdispatch.config.Settings;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar agent-dispatch.jar <command>}: the app's command line. */
@Command(name = "agent-dispatch", mixinStandardHelpOptions = true, version = "agent-dispatch 0.1",
    description = "A GitHub App that turns labels and /copilot commands into governed Copilot agent tasks.",
    subcommands = {ServeCommand.class, SandboxCommand.class, ReportCommand.class})
public final class Main implements Runnable {
  /** Exit code for missing or invalid settings. */
  public static final int BAD_SETTINGS = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    configureLogging(System.getenv());
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** slf4j-simple reads its level once, so set it before the first logger is created. */
  static void configureLogging(Map<String, String> env) {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", Settings.logLevelOf(env));
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.io.javalin", "warn");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
