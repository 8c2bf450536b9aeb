package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.Jwts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** A started demo simulator on a frozen clock plus a tiny HTTP client speaking to it. */
final class SimFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final GitHubSimulator sim;
  final HttpClient http = HttpClient.newHttpClient();

  SimFixture() {
    this(DemoWorld.seed(new GitHubSimulator(SimClock.fixed(Instant.parse("2026-03-02T10:00:00Z")))).start(0));
  }

  /** Wraps an already seeded and started simulator. */
  SimFixture(GitHubSimulator sim) {
    this.sim = sim;
  }

  /** An HTTP answer with its parsed JSON body (null when empty). */
  record Resp(int status, JsonNode json, HttpResponse<String> raw) {
    String header(String name) { return raw.headers().firstValue(name).orElse(null); }
  }

  Resp call(String method, String path, String token, Object body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path))
          .header("Accept", "application/vnd.github+json");
      if (token != null) b.header("Authorization", (token.startsWith("ey") ? "Bearer " : "token ") + token);
      String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
      b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
      if (text != null) b.header("Content-Type", "application/json");
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
      return new Resp(r.statusCode(), json, r);
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path, e);
    }
  }

  Resp get(String path, String token) { return call("GET", path, token, null); }

  Resp post(String path, String token, Object body) { return call("POST", path, token, body); }

  /** An app JWT signed with the PEM the simulator hands out. */
  String jwt(Instant iat, Instant exp) {
    return jwt(iat, exp, privateKey(sim.privateKeyPkcs8Pem()));
  }

  String jwt() {
    Instant now = sim.clock().now();
    return jwt(now.minusSeconds(60), now.plusSeconds(540));
  }

  String jwt(Instant iat, Instant exp, PrivateKey key) {
    return Jwts.builder().issuer(String.valueOf(sim.appId())).issuedAt(Date.from(iat)).expiration(Date.from(exp))
        .signWith(key, Jwts.SIG.RS256).compact();
  }

  static PrivateKey privateKey(String pkcs8Pem) {
    try {
      String b64 = pkcs8Pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An installation token for the demo org, optionally narrowed by {@code body}. */
  String installationToken(Object body) {
    long id = sim.state().installations.keySet().iterator().next();
    Resp r = post("/app/installations/" + id + "/access_tokens", jwt(), body);
    if (r.status() != 201) throw new IllegalStateException("token: " + r.status() + " " + r.json());
    return r.json().get("token").asText();
  }

  String installationToken() { return installationToken(null); }

  @Override public void close() { sim.stop(); }
}
