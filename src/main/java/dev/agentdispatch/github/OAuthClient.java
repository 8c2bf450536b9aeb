package dev.agentdispatch.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GitHub's OAuth token endpoint for a GitHub App (FACTS.md 2.3), on GitHub's web origin rather than the REST API:
 * exchanges a web-flow code for a user access token, and a refresh token for a new pair. GitHub answers errors
 * with 200 and an {@code error} field; those become {@link OAuthRefused}. Tokens are never put in messages.
 */
public final class OAuthClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI githubUrl;
  private final String clientId;
  private final String clientSecret;
  private final Clock clock;

  /** A new pair; expiry times in epoch milliseconds, null when GitHub sent none (non-expiring tokens). */
  public record Grant(String accessToken, Long accessExpiresAt, String refreshToken, Long refreshExpiresAt) {
    @Override
    public String toString() {
      return "Grant[accessExpiresAt=" + accessExpiresAt + "]";
    }
  }

  /** GitHub refused the grant: {@code error} is its code, e.g. bad_verification_code or bad_refresh_token. */
  public static final class OAuthRefused extends RuntimeException {
    private final String error;

    OAuthRefused(String error, String description) {
      super("GitHub refused the OAuth grant: " + error + (description == null ? "" : " (" + description + ")"));
      this.error = error;
    }

    public String error() {
      return error;
    }
  }

  public OAuthClient(URI githubUrl, String clientId, String clientSecret, Clock clock) {
    this.githubUrl = githubUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.clock = clock;
  }

  /** Where the web flow starts: GitHub's authorize page with these query parameters. */
  public String authorizeUrl(Map<String, String> params) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("client_id", clientId);
    q.putAll(params);
    return githubUrl + "/login/oauth/authorize?" + form(q);
  }

  /** Exchanges the callback's code (with the PKCE verifier) for a user access token. */
  public Grant exchange(String code, String redirectUri, String codeVerifier) {
    Map<String, String> f = credentials();
    f.put("code", code);
    f.put("redirect_uri", redirectUri);
    if (codeVerifier != null) {
      f.put("code_verifier", codeVerifier);
    }
    return post(f, "exchange an OAuth code");
  }

  /** Trades a refresh token for a new pair; the old refresh token and access token stop working. */
  public Grant refresh(String refreshToken) {
    Map<String, String> f = credentials();
    f.put("grant_type", "refresh_token");
    f.put("refresh_token", refreshToken);
    return post(f, "refresh a user access token");
  }

  private Map<String, String> credentials() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("client_id", clientId);
    f.put("client_secret", clientSecret);
    return f;
  }

  private Grant post(Map<String, String> form, String what) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(githubUrl + "/login/oauth/access_token"))
        .timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(form))).build();
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new GitHubCallFailed(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitHubCallFailed(what, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new GitHubCallFailed(what, resp.statusCode(), "the answer is not JSON");
    }
    if (resp.statusCode() != 200) {
      throw new GitHubCallFailed(what, resp.statusCode(), body.path("message").asText(null));
    }
    if (body.hasNonNull("error")) {
      throw new OAuthRefused(body.path("error").asText(), body.path("error_description").asText(null));
    }
    String access = body.path("access_token").asText(null);
    if (access == null || access.isBlank()) {
      throw new GitHubCallFailed(what, 200, "no access_token in the answer");
    }
    long now = clock.millis();
    return new Grant(access, expiry(body, "expires_in", now), body.path("refresh_token").asText(null),
        expiry(body, "refresh_token_expires_in", now));
  }

  private static Long expiry(JsonNode body, String field, long now) {
    return body.path(field).canConvertToLong() ? now + body.path(field).asLong() * 1000 : null;
  }

  private static String form(Map<String, String> values) {
    return values.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
