package dev.agentdispatch;

import dev.agentdispatch.agent.AgentTokens;
import dev.agentdispatch.agent.AuthorizationRevoked;
import dev.agentdispatch.agent.UserTokens;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.OAuthClient;
import dev.agentdispatch.github.Permissions;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.TokenCipher;
import dev.agentdispatch.store.UserTokenStore;
import dev.agentdispatch.web.OAuthRoutes;
import dev.agentdispatch.webhook.EventHandler;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The parts of user-token mode, wired once from the OAuth settings: the encrypted token store, the web flow's pages,
 * the agent worker's {@link UserTokens}, and the revoked-authorisation handler. Without the settings: no pages, no
 * handler, and a repository asking for {@code agent_token: user} gets a sentence naming the missing settings.
 */
record UserMode(AgentTokens tokens, Map<String, Handler> pages, EventHandler revokedHandler,
    Predicate<String> authorised, String loginUrl) {

  static UserMode of(Settings settings, Database database, GitHubClient github, AuditTrail audit, Clock clock) {
    Settings.UserAuth auth = settings.userAuth();
    if (auth == null) {
      return new UserMode(AgentTokens.userModeOff(), Map.of(), null, login -> true, null);
    }
    UserTokenStore store = new UserTokenStore(database, new TokenCipher(auth.encryptionKey()));
    OAuthClient oauth = new OAuthClient(auth.githubUrl(), auth.clientId(), auth.clientSecret(), clock);
    OAuthRoutes routes = new OAuthRoutes(auth, oauth, token -> github.gateway(RepoRef.of("agent-dispatch/none"),
        Permissions.METADATA_READ).getAuthenticatedUser(token), store, audit, clock);
    return new UserMode(new UserTokens(store, oauth, clock, auth.loginUrl()), routes.routes(),
        new AuthorizationRevoked(store, audit, clock), store::has, auth.loginUrl());
  }
}
