package dev.agentdispatch.sandbox;

import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The GitHub App under test: identity, key pair, permissions, events and its webhook target. */
public final class SimApp {
  public final long id;
  public final String slug;
  public final String clientId;
  public final String name;
  public final SimUser owner;
  public final SimUser bot;
  public final KeyPair keys;
  public final Map<String, String> permissions = new LinkedHashMap<>();
  public final List<String> events;
  public final long hookId;
  public volatile String webhookUrl;
  public volatile String webhookSecret;
  /** The OAuth client secret, and the registered callback URL (null: any redirect_uri is accepted). */
  public volatile String clientSecret;
  public volatile String callbackUrl;

  public SimApp(long id, String slug, String clientId, String name, SimUser owner, SimUser bot, KeyPair keys,
      Map<String, String> permissions, List<String> events, long hookId) {
    this.id = id;
    this.slug = slug;
    this.clientId = clientId;
    this.name = name;
    this.owner = owner;
    this.bot = bot;
    this.keys = keys;
    this.permissions.putAll(permissions);
    this.events = List.copyOf(events);
    this.hookId = hookId;
  }
}
