package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** Authenticates callers like GitHub does and checks what they may reach. */
final class SimAuth {
  private static final Map<String, Integer> LEVEL = Map.of("read", 1, "write", 2, "admin", 3);
  private final SimState state;

  SimAuth(SimState state) {
    this.state = state;
  }

  /** Parses "Authorization: Bearer|token X"; no header means anonymous. Throws 401 for bad credentials. */
  Principal authenticate(String header) {
    if (header == null || header.isBlank()) return Principal.ANONYMOUS;
    String[] parts = header.trim().split("\\s+", 2);
    String scheme = parts[0].toLowerCase(Locale.ROOT);
    if (parts.length != 2 || !(scheme.equals("bearer") || scheme.equals("token"))) throw SimError.badCredentials();
    String cred = parts[1].trim();
    synchronized (state) {
      if (cred.startsWith("ghs_")) return installation(cred);
      if (cred.startsWith("ghu_")) return userAccess(cred);
      if (cred.chars().filter(c -> c == '.').count() == 2 && cred.startsWith("ey")) return app(cred);
      for (SimUser u : state.users()) {
        if (cred.equals(u.pat)) return new Principal(Principal.Kind.USER, u, null);
      }
    }
    throw SimError.badCredentials();
  }

  private Principal installation(String cred) {
    SimToken t = state.tokens.get(cred);
    if (t == null || !state.clock.now().isBefore(t.expiresAt())) throw SimError.badCredentials();
    return new Principal(Principal.Kind.INSTALLATION, state.app.bot, t);
  }

  /** A user access token acts as its user, only on repositories an installation of the app reaches (FACTS §2.3). */
  private Principal userAccess(String cred) {
    Principal p = state.userTokens.get(cred);
    if (p == null || !state.clock.now().isBefore(p.token().expiresAt())) throw SimError.badCredentials();
    return p;
  }

  /**
   * Verifies an app JWT: RS256 signature with the app's public key, iss = app id (string or number) or client id,
   * iat at most 60 s ahead, exp in the future and at most 10 minutes after iat (FACTS §2.1). Checked by hand
   * rather than with jjwt, which refuses the numeric "iss" many GitHub clients send.
   */
  private Principal app(String jwt) {
    SimApp a = state.app;
    long now = state.clock.now().getEpochSecond();
    String[] parts = jwt.split("\\.");
    JsonNode header;
    JsonNode claims;
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      header = Sim.JSON.readTree(b64.decode(parts[0]));
      claims = Sim.JSON.readTree(b64.decode(parts[1]));
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initVerify(a.keys.getPublic());
      sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!"RS256".equals(header.path("alg").asText()) || !sig.verify(b64.decode(parts[2]))) {
        throw jwtError("A JSON web token could not be decoded");
      }
    } catch (IOException | GeneralSecurityException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw jwtError("A JSON web token could not be decoded");
    }
    String iss = claims.path("iss").asText("");
    if (!(iss.equals(String.valueOf(a.id)) || iss.equals(a.clientId))) {
      throw jwtError("'Issuer' claim ('iss') must be an Integer");
    }
    if (!claims.path("iat").canConvertToLong() || claims.get("iat").asLong() > now + 60) {
      throw jwtError("'Issued at' claim ('iat') must be an Integer representing a time in the past");
    }
    if (!claims.path("exp").canConvertToLong() || claims.get("exp").asLong() <= now) {
      throw jwtError("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
    }
    if (claims.get("exp").asLong() > claims.get("iat").asLong() + 600) {
      throw jwtError("'Expiration time' claim ('exp') is too far in the future");
    }
    return new Principal(Principal.Kind.APP, null, null);
  }

  private static SimError jwtError(String message) { return new SimError(401, message); }

  /** JWT-only endpoints. */
  void requireApp(Principal p) {
    if (p.kind() != Principal.Kind.APP) {
      throw new SimError(401, "A JSON web token could not be decoded");
    }
  }

  /** The agent tasks API takes user tokens only (FACTS §1.2). */
  void requireUser(Principal p) {
    if (p.kind() == Principal.Kind.INSTALLATION) {
      throw new SimError(403, "GitHub App installation access tokens are not supported for this endpoint. "
          + "Use a user access token or a personal access token.");
    }
    if (p.kind() != Principal.Kind.USER) throw new SimError(401, "Requires authentication");
  }

  /**
   * Checks a caller on a repository: an installation token needs the repo (else 404) and {@code perm} at
   * {@code level} (else 403); a user needs at least {@code role} (404 when they cannot see a private repo).
   */
  void requireRepo(Principal p, SimRepo repo, String perm, String level, String role) {
    switch (p.kind()) {
      case INSTALLATION -> {
        SimToken t = p.token();
        if (!t.repositories().contains(repo.fullName())) throw SimError.notFound();
        if (!has(t, perm, level) && !"metadata".equals(perm)) throw SimError.notAccessible();
      }
      case USER -> {
        if (p.token() != null && !p.token().repositories().contains(repo.fullName())) throw SimError.notFound();
        String have = state.roleOf(repo, p.user());
        if (Roles.rank(have) == 0 && repo.isPrivate) throw SimError.notFound();
        if (Roles.rank(have) == 0) have = "read";  // anyone may read a public repository
        if (!Roles.atLeast(have, role)) throw forRole(role);
      }
      case APP -> throw new SimError(401, "A JSON web token is only valid for /app endpoints; "
          + "use an installation access token");
      case ANONYMOUS -> {
        if (repo.isPrivate) throw SimError.notFound();
        if (!role.equals("read")) throw new SimError(401, "Requires authentication");
      }
    }
  }

  /** Whether the caller may know the repository exists (GitHub answers 404 otherwise). */
  boolean canSee(Principal p, SimRepo repo) {
    if (repo == null) return false;
    return switch (p.kind()) {
      case INSTALLATION -> p.token().repositories().contains(repo.fullName());
      case USER -> (p.token() == null || p.token().repositories().contains(repo.fullName()))
          && (!repo.isPrivate || Roles.rank(state.roleOf(repo, p.user())) > 0);
      case APP -> true;
      case ANONYMOUS -> !repo.isPrivate;
    };
  }

  static boolean has(SimToken t, String perm, String level) {
    String got = t.permissions().get(perm);
    return got != null && LEVEL.getOrDefault(got, 0) >= LEVEL.getOrDefault(level, 9);
  }

  static boolean levelCovers(String have, String want) {
    return have != null && LEVEL.getOrDefault(have, 0) >= LEVEL.getOrDefault(want, 9);
  }

  private static SimError forRole(String role) {
    return switch (role) {
      case "admin" -> new SimError(403, "Must have admin rights to Repository.");
      case "write", "maintain" -> new SimError(403, "Must have push access to repository");
      default -> new SimError(403, "Must have triage access to repository");
    };
  }
}
