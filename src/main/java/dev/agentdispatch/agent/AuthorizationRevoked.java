package dev.agentdispatch.agent;

import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.store.UserTokenStore;
import dev.agentdispatch.webhook.Delivery;
import dev.agentdispatch.webhook.EventHandler;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code github_app_authorization.revoked}: a person revoked the app's authorisation, so their stored user tokens are
 * dropped at once (GitHub would answer 401 to them anyway). Their running tasks then fail at the next check with the
 * sign-in link. The payload names the user by id and login; it has no installation.
 */
public final class AuthorizationRevoked implements EventHandler {
  private static final Logger log = LoggerFactory.getLogger(AuthorizationRevoked.class);
  private final UserTokenStore store;
  private final AuditTrail audit;
  private final Clock clock;

  public AuthorizationRevoked(UserTokenStore store, AuditTrail audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void handle(Delivery d) {
    long id = d.json().path("sender").path("id").asLong(0);
    String login = d.sender();
    if (id == 0 && login == null) {
      return;  // not a payload we understand
    }
    int dropped = (id == 0 ? 0 : store.dropUser(id)) + (login == null ? 0 : store.drop(login) ? 1 : 0);
    log.info("AuthorizationRevoked: user tokens dropped; login={} dropped={}", login, dropped);
    audit.record(AuditEvent.of(clock.instant(), "user.revoked", dropped > 0 ? "dropped" : "none stored")
        .withDelivery(d.id(), null, null, login));
  }
}
