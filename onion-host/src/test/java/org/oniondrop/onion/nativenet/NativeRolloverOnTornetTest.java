package org.oniondrop.onion.nativenet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.oniondrop.onion.dir.JoinConfig;
import org.oniondrop.onion.embedded.TestHttpServer;
import org.oniondrop.onion.hsdir.HsDirParams;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.service.OnionService;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * A time-period rollover on tools/tornet against unmodified C tor. Under TestingTorNetwork a time
 * period is 24 voting intervals (8 min with tornet's 20 s), offset by 12 (rend-spec-v3 §2.2.1,
 * tor's hs_common.c), and a shared-random run is 24 intervals starting at multiples of 8 min. A
 * service publishes for two periods: (previous, current) between a period's start and the next SRV,
 * (current, next) after it. So the service's period pair moves on at an SRV boundary, and the
 * clients move to the new period at the period boundary 4 minutes later.
 *
 * <p>The test runs the native host across both: (1) at the SRV boundary the host publishes a
 * descriptor for a period it had not published before, and tornet's C tor client (after SIGNAL
 * NEWNYM, which purges its onion-service state) reaches it; (2) after the next time-period start,
 * seen in the consensus's valid-after, the C tor client (after NEWNYM) reaches it again, through
 * the descriptor of the new period.
 *
 * <p>Not in the default suite: it waits for the network's clock, 4 to 12 minutes plus tornet's
 * start. Run:
 *
 * <pre>
 * ONION_NATIVE_ROLLOVER=1 ./mvnw -o -pl onion-host -Dtest=NativeRolloverOnTornetTest test
 * </pre>
 *
 * (with {@code TORNET_DIR} set it reuses that tornet). Times are logged and appended to {@code
 * target/native-rollover.txt}.
 */
@EnabledIf("enabled")
class NativeRolloverOnTornetTest {

  private static final Logger LOG = Logger.getLogger(NativeRolloverOnTornetTest.class.getName());

  static final Duration WAIT = NativeOnTornetTest.WAIT;

  static Tornet tornet;
  static Path work;
  static TestHttpServer http;
  static NativeNetwork net;
  static OnionService service;

  static boolean enabled() {
    return NativeOnTornetTest.torInstalled()
        && ("1".equals(System.getenv("ONION_NATIVE_ROLLOVER"))
            || Boolean.getBoolean("onion.native.rollover"));
  }

  @BeforeAll
  static void start() throws Exception {
    tornet = Tornet.startOrReuse("tornet-rollover-test");
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "native-rollover");
    http = new TestHttpServer();
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (net != null) {
      net.close();
    }
    if (http != null) {
      http.close();
    }
    if (tornet != null) {
      tornet.close();
    }
  }

  @Test
  void theHostRepublishesForTheNewPeriodAndTheCTorClientReachesItAfterTheRollover()
      throws Exception {
    SecureRandom random = new SecureRandom();
    net =
        NativeNetwork.start(
            JoinConfig.read(tornet.joinTorrc()), work.resolve("data"), Clock.systemUTC(), random);
    service =
        new OnionService(
                net, ServiceConfig.of(HsIdentity.generate(random), 80, http.address()), random)
            .start();
    service.published().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    String host = service.address().toString();
    Consensus c0 = net.consensus();
    HsDirParams params = c0.params();
    assertThat(params.periodLengthMinutes()).as("24 voting intervals of 20 s").isEqualTo(8);
    long period0 = params.periodAt(c0.validAfter()).number();
    List<Long> before = service.publishedPeriods();
    assertThat(before).hasSize(2);
    int uploadsBefore = service.descriptorsUploaded();
    LOG.info(
        "rollover: published periods "
            + before
            + " at consensus "
            + c0.validAfter()
            + " (period "
            + period0
            + ", between TP and SRV: "
            + params.isBetweenTpAndSrv(c0.validAfter())
            + ")");
    NativeOnTornetTest.httpThroughSocks(tornet.socksPort(), host, "GET / HTTP/1.0\r\n\r\n", null);

    // (1) the SRV boundary: a descriptor for a period never published before
    long newest = Collections.max(before);
    Duration bound = Duration.ofMinutes(params.periodLengthMinutes() + 2);
    Instant waitStart = Instant.now();
    await(bound, () -> Collections.max(service.publishedPeriods()) > newest);
    Instant republished = Instant.now();
    service.lastPublish().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    List<Long> after = service.publishedPeriods();
    assertThat(after).contains(newest + 1).doesNotContain(newest - 1);
    assertThat(service.descriptorsUploaded()).isGreaterThan(uploadsBefore);
    Instant srvBoundaryConsensus = net.consensus().validAfter();
    tornet.newnym();
    NativeOnTornetTest.httpThroughSocks(tornet.socksPort(), host, "GET / HTTP/1.0\r\n\r\n", null);
    Instant reached1 = Instant.now();

    // (2) the next time-period start, as the consensus says: the clients' period moves on
    long periodBefore = params.periodAt(net.consensus().validAfter()).number();
    await(bound, () -> params.periodAt(net.consensus().validAfter()).number() > periodBefore);
    Instant rolledOver = Instant.now();
    long newPeriod = params.periodAt(net.consensus().validAfter()).number();
    assertThat(service.publishedPeriods()).contains(newPeriod);
    tornet.newnym();
    NativeOnTornetTest.httpThroughSocks(tornet.socksPort(), host, "GET / HTTP/1.0\r\n\r\n", null);
    Instant reached2 = Instant.now();

    String line =
        "rollover: periods "
            + before
            + " -> "
            + after
            + " at consensus "
            + srvBoundaryConsensus
            + ", republished "
            + Duration.between(waitStart, republished).toSeconds()
            + " s into the wait, C tor client reached it "
            + Duration.between(republished, reached1).toMillis()
            + " ms later; period "
            + periodBefore
            + " -> "
            + newPeriod
            + " seen "
            + Duration.between(reached1, rolledOver).toSeconds()
            + " s later, C tor client reached it "
            + Duration.between(rolledOver, reached2).toMillis()
            + " ms after that; uploads "
            + uploadsBefore
            + " -> "
            + service.descriptorsUploaded()
            + ", retries "
            + service.uploadRetries();
    LOG.info(line);
    Files.writeString(
        Path.of("target", "native-rollover.txt"),
        Instant.now() + " " + line + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  static void await(Duration bound, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(bound);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waited " + bound).isBefore(deadline);
      Thread.sleep(500);
    }
  }
}
