package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A repository: commits (sha to full file map), refs ("heads/main" to sha), collaborators (login to role),
 * labels, issues and pulls (one number space), rulesets.
 */
public final class SimRepo {
  public final long id;
  public final SimUser owner;
  public final String name;
  public final String defaultBranch;
  public final boolean isPrivate;
  public final Instant createdAt;
  public final Map<String, Map<String, String>> commits = new LinkedHashMap<>();
  public final Map<String, String> commitMessages = new LinkedHashMap<>();
  public final Map<String, String> refs = new TreeMap<>();
  public final Map<String, String> collaborators = new LinkedHashMap<>();
  public final Map<String, String> teamPermissions = new LinkedHashMap<>();
  public final Map<String, SimLabel> labels = new LinkedHashMap<>();
  public final Map<Integer, SimIssue> issues = new TreeMap<>();
  public final Map<Integer, SimPull> pulls = new TreeMap<>();
  public final List<ObjectNode> rulesets = new ArrayList<>();
  int lastNumber;

  public SimRepo(long id, SimUser owner, String name, String defaultBranch, boolean isPrivate, Instant createdAt) {
    this.id = id;
    this.owner = owner;
    this.name = name;
    this.defaultBranch = defaultBranch;
    this.isPrivate = isPrivate;
    this.createdAt = createdAt;
  }

  public String fullName() { return owner.login + "/" + name; }

  /** The sha a branch name, "heads/x" ref or sha points to; null when unknown. */
  public String resolve(String refOrSha) {
    if (refOrSha == null) refOrSha = defaultBranch;
    String r = refOrSha.startsWith("refs/") ? refOrSha.substring(5) : refOrSha;
    if (refs.containsKey(r)) return refs.get(r);
    if (refs.containsKey("heads/" + r)) return refs.get("heads/" + r);
    if (refs.containsKey("tags/" + r)) return refs.get("tags/" + r);
    return commits.containsKey(refOrSha) ? refOrSha : null;
  }

  /** Adds a commit on top of {@code parentSha} (null = empty tree) with the given file changes; returns its sha. */
  public String commit(String parentSha, Map<String, String> changes, String message) {
    Map<String, String> files = new TreeMap<>(parentSha == null ? Map.of() : commits.get(parentSha));
    changes.forEach((path, content) -> {
      if (content == null) files.remove(path);
      else files.put(path, content);
    });
    String sha = Sim.sha1(fullName(), String.valueOf(parentSha), files.toString(), message, String.valueOf(commits.size()));
    commits.put(sha, files);
    commitMessages.put(sha, message);
    return sha;
  }

  public String branchSha(String branch) { return refs.get("heads/" + branch); }

  int nextNumber() { return ++lastNumber; }
}
