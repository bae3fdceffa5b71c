package org.oniondrop.dropbox.source.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.admission.ClientId;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.source.config.SourceConfig;

/** Session floods: logged-in sessions survive them, and circuits are bounded one by one. */
class SourceSessionsTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static SourceConfig config(int maxLoggedIn, int maxAnonymous, int perCircuit) {
    return new SourceConfig() {
      @Override
      public Duration sessionIdleTimeout() {
        return Duration.ofHours(2);
      }

      @Override
      public int maxSessions() {
        return maxLoggedIn;
      }

      @Override
      public int maxAnonymousSessions() {
        return maxAnonymous;
      }

      @Override
      public int sessionsPerClientPerMinute() {
        return perCircuit;
      }

      @Override
      public int loginsPerSessionPerMinute() {
        return 5;
      }

      @Override
      public int loginsPerClientPerMinute() {
        return 10;
      }

      @Override
      public int submissionsPerSessionPerHour() {
        return 30;
      }

      @Override
      public int submissionsPerClientPerHour() {
        return 60;
      }
    };
  }

  private static org.oniondrop.dropbox.core.codename.KeyedCodenameDigest digest() {
    return org.oniondrop.dropbox.core.codename.KeyedCodenameDigest.of(
        org.oniondrop.crypto.words.Codename.parse("alpha bravo charlie delta echo foxtrot golf"),
        new java.security.SecureRandom());
  }

  private static SourceService.SourceCredentials creds() {
    return new SourceService.SourceCredentials("id", "passphrase".toCharArray());
  }

  @Test
  void aFloodOfAnonymousSessionsNeverEvictsALoggedInOne() {
    // Given 3 logged-in sources and caps of 3 logged-in and 100 anonymous sessions
    SourceSessions sessions = new SourceSessions(config(3, 100, 1000), CLOCK);
    List<SourceSession> sources = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SourceSession s = sessions.create();
      sessions.logIn(s, creds(), digest());
      sources.add(s);
    }
    // When 10,000 anonymous sessions are created
    SourceSession first = sessions.create();
    for (int i = 0; i < 10_000; i++) {
      sessions.create();
    }
    // Then every logged-in session is still there, the oldest anonymous ones were dropped
    for (SourceSession s : sources) {
      assertThat(sessions.find(s.id()).status()).isEqualTo(SourceSessions.Lookup.FOUND);
      assertThat(s.loggedIn()).isTrue();
    }
    assertThat(sessions.find(first.id()).status()).isEqualTo(SourceSessions.Lookup.NONE);
    assertThat(sessions.size()).isEqualTo(103);
    // and a fourth login is refused as busy, not by evicting anyone
    SourceSession fourth = sessions.create();
    assertThat(sessions.hasRoomForLogin(fourth)).isFalse();
    assertThatThrownBy(() -> sessions.logIn(fourth, creds(), digest()))
        .isInstanceOf(SessionRefusedException.class)
        .extracting(e -> ((SessionRefusedException) e).reason())
        .isEqualTo(SessionRefusedException.Reason.FULL);
    assertThat(sessions.loggedInSize()).isEqualTo(3);
    // until one logs out
    sessions.remove(sources.get(0));
    sessions.logIn(fourth, creds(), digest());
    assertThat(sessions.loggedInSize()).isEqualTo(3);
  }

  @Test
  void sessionCreationIsBoundedPerCircuitNotForEveryone() {
    SourceSessions sessions = new SourceSessions(config(10, 1000, 20), CLOCK);
    ClientId flooder = new ClientId(ClientId.Kind.CIRCUIT, "1");
    for (int i = 0; i < 20; i++) {
      sessions.create(flooder);
    }
    assertThatThrownBy(() -> sessions.create(flooder))
        .isInstanceOf(SessionRefusedException.class)
        .extracting(e -> ((SessionRefusedException) e).reason())
        .isEqualTo(SessionRefusedException.Reason.CLIENT_RATE);
    // another circuit is not affected
    assertThat(sessions.create(new ClientId(ClientId.Kind.CIRCUIT, "2"))).isNotNull();
  }

  @Test
  void loginAllowancesArePerClient() {
    SourceSessions sessions = new SourceSessions(config(10, 1000, 20), CLOCK);
    ClientId flooder = new ClientId(ClientId.Kind.CIRCUIT, "1");
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      allowed += sessions.tryLogin(flooder) ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(10);
    for (int i = 2; i < 50; i++) {
      assertThat(sessions.tryLogin(new ClientId(ClientId.Kind.CIRCUIT, Integer.toString(i))))
          .isTrue();
    }
  }
}
