package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentdispatch.config.RepoConfig.BoundaryMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The issue form the app offers, and the body GitHub renders from it, which the parser must read. */
class IssueFormTest {
  private static final BoundaryParser PARSER = new BoundaryParser(TestConfigs.config(BoundaryMode.REQUIRE));

  @Test
  void reads_the_rendered_form() throws IOException {
    BoundaryParser.Admission a = PARSER.admit(fixture("agent-task-form.rendered.md"));
    assertTrue(a.admitted(), a.reply());
    assertEquals("[src/http/**, docs/http.md] | [the checks \"build\", \"unit tests\" pass, the pull request is"
        + " approved] | 45m | close | ", BoundaryParserTest.summary(a.boundary()));
  }

  @Test
  void no_response_fields_take_the_repository_defaults() throws IOException {
    BoundaryParser.Admission a = PARSER.admit(fixture("agent-task-form.empty-optional-fields.rendered.md"));
    assertTrue(a.admitted(), a.reply());
    assertEquals("[src/http/**, test/http/**] | [all checks pass] | 1h | keep-branch | TIMEOUT,ON_FAILURE",
        BoundaryParserTest.summary(a.boundary()));
  }

  @Test
  void an_empty_scope_field_is_missing() {
    String body = "### Task description\n\nFix it\n\n### Scope\n\n_No response_\n\n### Done when\n\nchecks pass\n";
    assertEquals(List.of("a scope: no `Scope:` was given"), PARSER.parse(body).missing());
  }

  @Test
  void a_multi_line_done_when_list_reads_each_item() {
    String body = "### Scope\n\ndocs/\n\n## Done when:\n\n- checks pass\n- the diagrams are readable\n\n### Timeout\n\n2h";
    assertEquals("[docs/] | [all checks pass, judged by a human: the diagrams are readable] | 2h | keep-branch"
        + " | ON_FAILURE", BoundaryParserTest.summary(PARSER.parse(body).boundary()));
  }

  @Test
  void the_form_asks_for_each_key_the_parser_reads() throws IOException {
    JsonNode form = new ObjectMapper(new YAMLFactory())
        .readTree(Files.readString(Path.of(BoundaryParser.ISSUE_FORM)));
    assertEquals("agent-task", form.at("/labels/0").asText());
    List<String> labels = new ArrayList<>();
    form.get("body").forEach(f -> labels.add(f.at("/attributes/label").asText()));
    assertEquals(List.of("", "Task description", "Scope", "Done when", "Timeout", "On failure"), labels);
    form.get("body").get(5).at("/attributes/options").forEach(o -> FailureMode.parse(o.asText()));
  }

  @Test
  void the_docs_show_the_rendered_form_exactly() throws IOException {
    String docs = Files.readString(Path.of("docs/task-boundaries.md"));
    assertTrue(docs.contains(fixture("agent-task-form.rendered.md")), "docs/task-boundaries.md shows the fixture");
  }

  @Test
  void the_docs_show_the_prompt_section_the_rendered_form_gives() throws IOException {
    String docs = Files.readString(Path.of("docs/task-boundaries.md"));
    TaskBoundary b = PARSER.parse(fixture("agent-task-form.rendered.md")).boundary();
    String prompt = new PromptBuilder().forIssue("Retries", fixture("agent-task-form.rendered.md"), "u", b);
    String section = prompt.substring(prompt.indexOf(PromptBuilder.BOUNDARY_START));
    assertTrue(docs.contains(section), section);
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = IssueFormTest.class.getResourceAsStream("/trigger/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
