package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.totp.Totp;

/**
 * Design promise 7 under SIGKILL, against the packaged application in its own JVM on real sockets:
 * rounds of {@value #DEFAULT_UPLOADS} concurrent uploads of random sizes (1 KiB to 16 MiB,
 * log-uniform so that every order of magnitude is hit without the suite paying for 400 MB a round)
 * with the server killed ({@code kill -9}) at a random moment, then a restart and a check with the
 * server stopped:
 *
 * <ul>
 *   <li>every upload acknowledged to its source (303) is in the store with a row, and real gpg
 *       decrypts it (then gunzip) to exactly the bytes sent;
 *   <li>no {@code .part} file survives the restart;
 *   <li>no row without its file, and no file without its row outside the quarantine.
 * </ul>
 *
 * Then an admin replaces the submission key while sources upload, and the server is killed around
 * it: the key in effect after the restart is whole and is either the old key or the new one (the
 * new one whenever the replacement was acknowledged), the status page's record of the change names
 * exactly the key in effect, every acknowledged upload decrypts, and the next upload is encrypted
 * to the key in effect.
 *
 * <p>Then a journalist deletes every source (concurrent API deletions) and the server is killed in
 * the middle: each acknowledged deletion is complete (no row; files destroyed or waiting in the
 * quarantine as pending deletions, never back in the store), and every other source is whole.
 *
 * <p>Rounds: {@code -Dcrashsafety.rounds=N} (suite default {@value #DEFAULT_ROUNDS}); H2 always,
 * PostgreSQL when {@code ONIONDROP_TEST_POSTGRES_URL} is set and {@code -Dcrashsafety.postgres-app}
 * names an application built for PostgreSQL (the script {@code dropbox-server/crash-safety} builds
 * it and runs both, 10 rounds by default).
 */
@EnabledOnOs(OS.LINUX)
class CrashSafetyIT {

  static final int DEFAULT_ROUNDS = 3;
  static final int DEFAULT_UPLOADS = 50;
  private static final int ROUNDS = Integer.getInteger("crashsafety.rounds", DEFAULT_ROUNDS);
  private static final int UPLOADS = Integer.getInteger("crashsafety.uploads", DEFAULT_UPLOADS);
  private static final long MIN_SIZE = 1024;
  private static final long MAX_SIZE = 16L << 20;

  /** Upper bound of the random extra delay before a kill (after its acknowledgement threshold). */
  private static final int MAX_KILL_DELAY_MS = 1000;

  /** Upper bound of the random delay before a kill among deletions (they are quick). */
  private static final int MAX_DELETE_KILL_DELAY_MS = 100;

  /**
   * Upper bound of the random delay between sending the key replacement and the kill (it is
   * otherwise twice what one replacement took).
   */
  private static final int MAX_ROTATION_KILL_DELAY_MS = 5_000;

  /** Bound on one upload or deletion request once the server is gone. */
  private static final int CLIENT_TIMEOUT_MS = 120_000;

  @TempDir Path work;
  private Process app;
  private final ObjectMapper json = new ObjectMapper();
  private final Random random = new Random(Long.getLong("crashsafety.seed", System.nanoTime()));
  private final List<String> report = new ArrayList<>();

  /** Which database the app under test uses, and how the test reads it. */
  private record Db(
      String name, String jar, List<String> props, String url, String user, String pw) {}

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    ItSupport.run(work.resolve("gnupg"), List.of("gpgconf", "--kill", "all"));
    System.out.println(String.join("\n", report));
  }

  @Test
  void acknowledgedUploadsAndDeletionsSurviveSigkillOnH2() throws Exception {
    Path data = work.resolve("data-h2");
    run(
        new Db(
            "h2",
            System.getProperty("quarkus.app.jar"),
            List.of(),
            "jdbc:h2:file:" + data.resolve("db").resolve("oniondrop"),
            "",
            ""),
        data);
  }

  @Test
  void acknowledgedUploadsAndDeletionsSurviveSigkillOnPostgresql() throws Exception {
    String url = System.getenv("ONIONDROP_TEST_POSTGRES_URL");
    String jar = System.getProperty("crashsafety.postgres-app");
    Assumptions.assumeTrue(
        url != null && jar != null && !jar.isBlank(),
        "PostgreSQL run skipped: set ONIONDROP_TEST_POSTGRES_URL and -Dcrashsafety.postgres-app"
            + " (dropbox-server/crash-safety does both)");
    String user = System.getenv("ONIONDROP_TEST_POSTGRES_USER");
    String pw = System.getenv("ONIONDROP_TEST_POSTGRES_PASSWORD");
    try (Connection c = DriverManager.getConnection(url, user, pw);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA public CASCADE");
      st.execute("CREATE SCHEMA public");
    }
    run(
        new Db(
            "postgresql",
            jar,
            List.of(
                "-Dquarkus.profile=production",
                "-Doniondrop.server.allow-demo=true",
                "-Dquarkus.datasource.jdbc.url=" + url,
                "-Dquarkus.datasource.username=" + user,
                "-Dquarkus.datasource.password=" + pw),
            url,
            user,
            pw),
        work.resolve("data-pg"));
  }

  private void run(Db db, Path data) throws Exception {
    Path key = ItSupport.gpgKey(work.resolve("gnupg"), work.resolve("submission.asc"));
    int port = ItSupport.freePort();
    int journalistPort = ItSupport.freePort();
    String base = "http://127.0.0.1:" + port;
    String firstLog = start(db, data, key, port, journalistPort, "start-0");
    String passphrase = ItSupport.line(firstLog, "Passphrase (shown once, write it down): ");
    String totpSecret = ItSupport.line(firstLog, "TOTP secret (add to an authenticator app): ");

    Map<String, String> acknowledged = new HashMap<>(); // sha256 of plaintext -> round
    Set<String> checkedFiles = new HashSet<>();
    int totalAck = 0;
    int totalSent = 0;
    Map<String, String> sources = Map.of(); // uuid -> filesystem id, read while stopped
    for (int round = 1; round <= ROUNDS; round++) {
      // Given sources, each about to send one document
      List<String> cookies = new ArrayList<>();
      for (int i = 0; i < UPLOADS; i++) {
        cookies.add(LargeUploadMemoryIT.sourceCookie(base));
      }
      // When they upload at once and the server is killed at a random moment
      ExecutorService pool = Executors.newFixedThreadPool(UPLOADS);
      List<Future<String>> results = new ArrayList<>();
      long seedBase = random.nextLong();
      java.util.concurrent.atomic.AtomicInteger acks =
          new java.util.concurrent.atomic.AtomicInteger();
      for (int i = 0; i < UPLOADS; i++) {
        String cookie = cookies.get(i);
        long seed = seedBase + i;
        results.add(
            pool.submit(
                () -> {
                  String sha = upload(base, cookie, seed);
                  if (sha != null) {
                    acks.incrementAndGet();
                  }
                  return sha;
                }));
      }
      // The kill comes at a random moment while uploads are in flight: once a random number
      // (1..UPLOADS-1) of them were acknowledged, plus a random 0..MAX_KILL_DELAY_MS. Waiting for
      // acknowledgements (bounded) keeps a slow machine from killing before anything was sent.
      int killAfterAcks = 1 + random.nextInt(UPLOADS - 1);
      Instant ackDeadline = Instant.now().plusMillis(CLIENT_TIMEOUT_MS);
      while (acks.get() < killAfterAcks && Instant.now().isBefore(ackDeadline)) {
        Thread.sleep(20);
      }
      int delay = random.nextInt(MAX_KILL_DELAY_MS);
      Thread.sleep(delay);
      kill();
      int ack = 0;
      for (Future<String> f : results) {
        String sha = f.get(CLIENT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (sha != null) {
          acknowledged.put(sha, "round " + round);
          ack++;
        }
      }
      pool.shutdown();
      totalAck += ack;
      totalSent += UPLOADS;

      // Then after a restart (the janitor runs) and a clean stop, everything acknowledged is there
      String restart = start(db, data, key, port, journalistPort, "start-" + round);
      java.util.regex.Matcher temp =
          java.util.regex.Pattern.compile("removed (\\d+) unfinished temporary files")
              .matcher(restart);
      int partsRemoved = temp.find() ? Integer.parseInt(temp.group(1)) : 0;
      halt();
      Check c = check(db, data, checkedFiles);
      assertThat(c.plaintextHashes()).containsAll(acknowledged.keySet());
      sources = sourceIds(db);
      report.add(
          String.format(
              "CrashSafetyIT %s round %d: killed %d ms after the %dth acknowledgement, %d/%d"
                  + " acknowledged, %d .part removed at restart, %d stored, %d quarantined, %d files"
                  + " decrypted by gpg",
              db.name(),
              round,
              delay,
              killAfterAcks,
              ack,
              UPLOADS,
              partsRemoved,
              c.rows(),
              c.quarantined(),
              c.decrypted()));
      start(db, data, key, port, journalistPort, "resume-" + round);
    }
    report.add(
        String.format(
            "CrashSafetyIT %s: %d rounds, %d uploads, %d acknowledged, all decrypted to the bytes"
                + " sent",
            db.name(), ROUNDS, totalSent, totalAck));

    // (the deletions' API token is taken first: each TOTP step is accepted once)
    String journalist = "http://127.0.0.1:" + journalistPort;
    String token = apiToken(journalist, passphrase, totpSecret);
    rotateUnderKill(db, data, key, port, journalistPort, passphrase, totpSecret, checkedFiles);
    sources = sourceIds(db);
    start(db, data, key, port, journalistPort, "before-delete");

    // A journalist deletes every source while the server is killed: once a random number of
    // deletions were answered (bounded wait), plus a random delay
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Map<String, Boolean> deleted = new ConcurrentHashMap<>();
    Map<Integer, Integer> deleteStatuses = new ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicInteger deletesAnswered =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Future<?>> deletions = new ArrayList<>();
    for (String uuid : sources.keySet()) {
      deletions.add(
          pool.submit(
              () -> {
                int status = delete(journalist, token, uuid);
                deleted.put(uuid, status == 200);
                deleteStatuses.merge(status, 1, Integer::sum);
                deletesAnswered.incrementAndGet();
              }));
    }
    int killAfterDeletes = 1 + random.nextInt(Math.max(1, sources.size() - 1));
    Instant deleteDeadline = Instant.now().plusMillis(CLIENT_TIMEOUT_MS);
    while (deletesAnswered.get() < killAfterDeletes && Instant.now().isBefore(deleteDeadline)) {
      Thread.sleep(5);
    }
    int delay = random.nextInt(MAX_DELETE_KILL_DELAY_MS);
    Thread.sleep(delay);
    kill();
    for (Future<?> f : deletions) {
      f.get(CLIENT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    pool.shutdown();
    start(db, data, key, port, journalistPort, "after-delete");
    halt();
    Check c = check(db, data, checkedFiles);
    Map<String, String> left = sourceIds(db);
    int ackDeleted = 0;
    for (Map.Entry<String, String> s : sources.entrySet()) {
      String uuid = s.getKey();
      Path storeDir = data.resolve("store").resolve(s.getValue());
      Path quarantineDir = data.resolve("quarantine").resolve(s.getValue());
      if (Boolean.TRUE.equals(deleted.get(uuid))) {
        ackDeleted++;
        assertThat(left).as("an acknowledged deletion is committed").doesNotContainKey(uuid);
      }
      if (!left.containsKey(uuid)) {
        // Gone: nothing of it in the store; in the quarantine only pending deletions
        assertThat(names(storeDir)).as("files of a deleted source in the store").isEmpty();
        assertThat(names(quarantineDir)).allMatch(n -> n.contains(".gpg.deleted"));
      } else {
        assertThat(names(quarantineDir))
            .as("a source whose deletion did not commit lost nothing to the quarantine")
            .noneMatch(n -> n.contains(".deleted"));
      }
    }
    report.add(
        String.format(
            "CrashSafetyIT %s deletion: killed %d ms after the %dth acknowledged deletion, %d/%d"
                + " deletions acknowledged, %d sources left, %d rows left, %d quarantined",
            db.name(),
            delay,
            killAfterDeletes,
            ackDeleted,
            sources.size(),
            new java.util.TreeMap<>(deleteStatuses),
            left.size(),
            c.rows(),
            c.quarantined()));
  }

  /** One source upload; the SHA-256 of the plaintext if the server acknowledged it, else null. */
  private String upload(String base, String cookie, long seed) {
    try {
      Random r = new Random(seed);
      long size =
          Math.round(Math.exp(Math.log(MIN_SIZE) + r.nextDouble() * Math.log(MAX_SIZE / MIN_SIZE)));
      String csrf = LargeUploadMemoryIT.csrf(LargeUploadMemoryIT.get(base + "/lookup", cookie));
      String boundary = "----crash-" + seed;
      byte[] head =
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                  + csrf
                  + "\r\n--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
                  + "Content-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
      HttpURLConnection post =
          (HttpURLConnection) URI.create(base + "/submit").toURL().openConnection();
      post.setInstanceFollowRedirects(false);
      post.setDoOutput(true);
      post.setRequestMethod("POST");
      post.setConnectTimeout(CLIENT_TIMEOUT_MS);
      post.setReadTimeout(CLIENT_TIMEOUT_MS);
      post.setRequestProperty("Cookie", cookie);
      post.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + boundary);
      post.setFixedLengthStreamingMode(head.length + size + tail.length);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = post.getOutputStream()) {
        out.write(head);
        byte[] block = new byte[64 * 1024];
        for (long sent = 0; sent < size; ) {
          r.nextBytes(block);
          int n = (int) Math.min(block.length, size - sent);
          out.write(block, 0, n);
          sha.update(block, 0, n);
          sent += n;
        }
        out.write(tail);
      }
      int status = post.getResponseCode();
      if (status == 303) {
        return HexFormat.of().formatHex(sha.digest());
      }
      return null;
    } catch (Exception e) {
      return null; // the server died under this upload: not acknowledged
    }
  }

  /** What the stopped server left: rows, files, quarantine, and the plaintext of new files. */
  private record Check(int rows, int quarantined, int decrypted, Set<String> plaintextHashes) {}

  private final Set<String> plaintext = new HashSet<>();

  private Check check(Db db, Path data, Set<String> checkedFiles) throws Exception {
    Path store = data.resolve("store");
    List<Path> all;
    try (Stream<Path> s = Files.walk(store)) {
      all = s.filter(Files::isRegularFile).toList();
    }
    assertThat(all)
        .as("no temporary file survives a restart")
        .noneMatch(p -> name(p).endsWith(".part"));
    assertThat(all).as("no deletion left half-done").noneMatch(p -> name(p).endsWith(".deleting"));
    Set<String> files = new HashSet<>();
    for (Path p : all) {
      files.add(store.relativize(p).toString());
    }
    Set<String> rows = new HashSet<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.pw());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT so.filesystem_id, x.filename FROM submissions x JOIN sources so ON"
                    + " so.id = x.source_id UNION ALL SELECT so.filesystem_id, r.filename FROM"
                    + " replies r JOIN sources so ON so.id = r.source_id")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + "/" + rs.getString(2));
      }
    }
    assertThat(files).as("every file in the store has its row").isEqualTo(rows);
    int decrypted = 0;
    for (Path p : all) {
      String rel = store.relativize(p).toString();
      if (checkedFiles.add(rel)) {
        plaintext.add(decryptDigest(p));
        decrypted++;
      }
    }
    int quarantined = 0;
    if (Files.isDirectory(data.resolve("quarantine"))) {
      try (Stream<Path> s = Files.walk(data.resolve("quarantine"))) {
        quarantined = (int) s.filter(Files::isRegularFile).count();
      }
    }
    return new Check(rows.size(), quarantined, decrypted, plaintext);
  }

  private String decryptDigest(Path file) throws Exception {
    String out =
        ItSupport.run(
            work.resolve("gnupg"),
            List.of(
                "bash",
                "-c",
                "set -o pipefail; gpg --batch --quiet --decrypt '"
                    + file
                    + "' | gunzip | sha256sum"));
    assertThat(out).as("gpg and gunzip open " + name(file)).matches("[0-9a-f]{64} .*\\s*");
    return out.substring(0, 64);
  }

  private Map<String, String> sourceIds(Db db) throws Exception {
    Map<String, String> ids = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.pw());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT uuid, filesystem_id FROM sources")) {
      while (rs.next()) {
        ids.put(rs.getString(1), rs.getString(2));
      }
    }
    return ids;
  }

  private String apiToken(String journalist, String passphrase, String totpSecret)
      throws Exception {
    SecretBytes totp = Totp.parseBase32(totpSecret);
    long step = nextTotpStep();
    HttpURLConnection c =
        (HttpURLConnection) URI.create(journalist + "/api/v1/token").toURL().openConnection();
    c.setDoOutput(true);
    c.setRequestMethod("POST");
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = c.getOutputStream()) {
      out.write(
          json.writeValueAsBytes(
              Map.of(
                  "username",
                  "admin",
                  "passphrase",
                  passphrase,
                  "one_time_code",
                  Totp.code(totp, step))));
    }
    assertThat(c.getResponseCode()).isEqualTo(200);
    try (InputStream in = c.getInputStream()) {
      JsonNode t = json.readTree(in);
      return t.get("token").asText();
    }
  }

  /** The last TOTP step this test used: the server accepts each step once (replay refused). */
  private long lastTotpStep = Long.MIN_VALUE;

  /** A step the server accepts now (now-1..now+1) and that was not used yet; waits if needed. */
  private long nextTotpStep() throws InterruptedException {
    while (true) {
      long now = Math.floorDiv(Instant.now().getEpochSecond(), Totp.STEP_SECONDS);
      long step = Math.max(now, lastTotpStep + 1);
      if (step <= now + 1) {
        lastTotpStep = step;
        return step;
      }
      Thread.sleep(1000);
    }
  }

  /**
   * An admin replaces the submission key (page, with passphrase and a fresh code) while sources
   * upload, and the server is killed a random moment after the replacement was sent. Leaves the
   * server stopped.
   */
  private void rotateUnderKill(
      Db db,
      Path data,
      Path key,
      int port,
      int journalistPort,
      String passphrase,
      String totpSecret,
      Set<String> checkedFiles)
      throws Exception {
    Path gnupg = work.resolve("gnupg");
    Path newKey =
        ItSupport.gpgKey(
            gnupg,
            work.resolve("submission-rotated.asc"),
            "IT rotated <it-rotated@example.invalid>");
    String oldFpr = primaryFingerprint(key);
    String newFpr = primaryFingerprint(newKey);
    String base = "http://127.0.0.1:" + port;
    String jbase = "http://127.0.0.1:" + journalistPort + "/journalist";
    SecretBytes totp = Totp.parseBase32(totpSecret);
    java.net.http.HttpClient web =
        java.net.http.HttpClient.newBuilder()
            .cookieHandler(new java.net.CookieManager())
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .build();
    var loggedIn =
        TorBackendIT.form(
            web,
            jbase + "/login",
            "username=admin&passphrase="
                + java.net.URLEncoder.encode(passphrase, StandardCharsets.UTF_8)
                + "&token="
                + Totp.code(totp, nextTotpStep()));
    assertThat(loggedIn.statusCode()).as("admin login").isEqualTo(303);
    String keyPage =
        web.send(
                java.net.http.HttpRequest.newBuilder(URI.create(jbase + "/admin/key")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    String csrf = TorBackendIT.csrf(keyPage);

    // A replacement with no kill first (to the new key): it works, and it says how long one takes
    long t0 = System.nanoTime();
    var first =
        TorBackendIT.form(web, jbase + "/admin/key", replaceBody(csrf, newKey, passphrase, totp));
    long tookMs = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
    assertThat(first.statusCode()).as("a replacement without a kill").isEqualTo(303);
    // Then back to the old key, killed at a random moment within twice that time
    String fromFpr = newFpr;
    String toFpr = oldFpr;
    Path toKey = key;
    String body = replaceBody(csrf, toKey, passphrase, totp);

    int uploads = Math.max(2, UPLOADS / 2);
    List<String> cookies = new ArrayList<>();
    for (int i = 0; i < uploads; i++) {
      cookies.add(LargeUploadMemoryIT.sourceCookie(base));
    }
    ExecutorService pool = Executors.newFixedThreadPool(uploads + 1);
    List<Future<String>> results = new ArrayList<>();
    long seedBase = random.nextLong();
    for (int i = 0; i < uploads; i++) {
      String cookie = cookies.get(i);
      long seed = seedBase + i;
      results.add(pool.submit(() -> upload(base, cookie, seed)));
    }
    // The replacement is sent once some of the uploads were acknowledged (bounded wait)
    int sendAfterAcks = 1 + random.nextInt(uploads / 2);
    Instant ackDeadline = Instant.now().plusMillis(CLIENT_TIMEOUT_MS);
    while (results.stream().filter(f -> f.isDone() && doneWith(f) != null).count() < sendAfterAcks
        && results.stream().anyMatch(f -> !f.isDone())
        && Instant.now().isBefore(ackDeadline)) {
      Thread.sleep(10);
    }
    Future<Integer> replaced =
        pool.submit(
            () -> {
              try {
                return TorBackendIT.form(web, jbase + "/admin/key", body).statusCode();
              } catch (IOException e) {
                return 0; // the server died under the request: not acknowledged
              }
            });
    int delay = random.nextInt((int) Math.min(2 * tookMs, MAX_ROTATION_KILL_DELAY_MS));
    Thread.sleep(delay);
    kill();
    int status = replaced.get(CLIENT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    assertThat(status).as("the replacement's answer (or none)").isIn(0, 303);
    boolean acknowledged = status == 303;
    Set<String> ackedUploads = new HashSet<>();
    for (Future<String> f : results) {
      String sha = f.get(CLIENT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      if (sha != null) {
        ackedUploads.add(sha);
      }
    }
    pool.shutdown();

    // Then, after a restart: every acknowledged upload decrypts, and the key in effect is whole,
    // old or new (new when acknowledged), and is the one the change record names
    start(db, data, key, port, journalistPort, "after-rotation");
    halt();
    Check c = check(db, data, checkedFiles);
    assertThat(c.plaintextHashes()).containsAll(ackedUploads);
    Path keyFile = data.resolve("keys").resolve("submission-public-key.asc");
    assertThat(keyFile).as("the replaced key is kept for restarts").exists();
    String inEffect = primaryFingerprint(keyFile);
    assertThat(inEffect)
        .as("the key in effect is whole: the old or the new one")
        .isIn(fromFpr, toFpr);
    if (acknowledged) {
      assertThat(inEffect).as("an acknowledged replacement survives the kill").isEqualTo(toFpr);
    }
    Path record = data.resolve("keys").resolve("submission-key-change.properties");
    assertThat(record).as("a replaced key has its change record").exists();
    String recorded = Files.readString(record).replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    if (!recorded.contains(inEffect)) {
      // Recorded before it took effect, then killed: the page must not show it as the change
      assertThat(inEffect)
          .as("only a replacement that did not take effect lacks a record")
          .isEqualTo(fromFpr);
      assertThat(recorded).contains(toFpr);
    }

    // And the next upload is encrypted to the key in effect
    start(db, data, key, port, journalistPort, "after-rotation-upload");
    String sha = upload(base, LargeUploadMemoryIT.sourceCookie(base), random.nextLong());
    assertThat(sha).as("an upload after the restart").isNotNull();
    halt();
    Set<String> before = new HashSet<>(checkedFiles);
    c = check(db, data, checkedFiles);
    assertThat(c.plaintextHashes()).contains(sha);
    List<String> fresh = new ArrayList<>(checkedFiles);
    fresh.removeAll(before);
    assertThat(fresh).as("exactly one new file").hasSize(1);
    String encTo =
        ItSupport.run(
            gnupg,
            List.of(
                "bash",
                "-c",
                "gpg --batch --status-fd 3 --decrypt '"
                    + data.resolve("store").resolve(fresh.get(0))
                    + "' 3>&1 >/dev/null 2>/dev/null | grep ENC_TO || true"));
    assertThat(subkeyIds(inEffect.equals(newFpr) ? newKey : key))
        .as("the next upload is encrypted to the key in effect: " + encTo)
        .anyMatch(encTo::contains);
    report.add(
        String.format(
            "CrashSafetyIT %s key rotation: one took %d ms; the next killed %d ms after sending it, %s;"
                + " %d/%d uploads acknowledged and decrypted; key in effect after restart: %s",
            db.name(),
            tookMs,
            delay,
            acknowledged ? "acknowledged" : "not acknowledged",
            ackedUploads.size(),
            uploads,
            inEffect.equals(toFpr) ? "the replacement" : "the one before"));
  }

  /** The result of a finished future (null when it failed). */
  private static String doneWith(Future<String> f) {
    try {
      return f.get();
    } catch (Exception e) {
      return null;
    }
  }

  private String replaceBody(String csrf, Path key, String passphrase, SecretBytes totp)
      throws Exception {
    return "csrf_token="
        + java.net.URLEncoder.encode(csrf, StandardCharsets.UTF_8)
        + "&key="
        + java.net.URLEncoder.encode(Files.readString(key), StandardCharsets.UTF_8)
        + "&current_passphrase="
        + java.net.URLEncoder.encode(passphrase, StandardCharsets.UTF_8)
        + "&current_token="
        + Totp.code(totp, nextTotpStep());
  }

  /** The primary key fingerprint of an armored certificate file (what gpg reads in it). */
  private String primaryFingerprint(Path cert) throws Exception {
    for (String l :
        ItSupport.run(
                work.resolve("gnupg"),
                List.of("gpg", "--batch", "--with-colons", "--show-keys", cert.toString()))
            .split("\n")) {
      if (l.startsWith("fpr:")) {
        return l.split(":")[9];
      }
    }
    throw new AssertionError("gpg finds no key in " + cert);
  }

  /** The key ids of a certificate's subkeys. */
  private List<String> subkeyIds(Path cert) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String l :
        ItSupport.run(
                work.resolve("gnupg"),
                List.of("gpg", "--batch", "--with-colons", "--show-keys", cert.toString()))
            .split("\n")) {
      if (l.startsWith("sub:")) {
        ids.add(l.split(":")[4]);
      }
    }
    return ids;
  }

  /** One API deletion: its status, or 0 when the server died under it. */
  private static int delete(String journalist, String token, String uuid) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create(journalist + "/api/v1/sources/" + uuid).toURL().openConnection();
      c.setRequestMethod("DELETE");
      c.setConnectTimeout(CLIENT_TIMEOUT_MS);
      c.setReadTimeout(CLIENT_TIMEOUT_MS);
      c.setRequestProperty("Authorization", "Token " + token);
      return c.getResponseCode();
    } catch (IOException e) {
      return 0;
    }
  }

  private String start(Db db, Path data, Path key, int port, int journalistPort, String name)
      throws Exception {
    Path log = work.resolve(db.name() + "-" + name + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(ItSupport.java());
    cmd.addAll(db.props());
    cmd.addAll(
        List.of(
            "-Doniondrop.data-dir=" + data,
            "-Doniondrop.submission-key=" + key,
            "-Doniondrop.sources.kdf=scrypt:N=16,r=1,p=1",
            "-Doniondrop.sources.allow-test-kdf=true",
            "-Doniondrop.journalists.passphrase-kdf=argon2id:m=64,t=1,p=1",
            "-Doniondrop.journalists.allow-test-kdf=true",
            "-Dquarkus.http.port=" + port,
            "-Doniondrop.server.journalist-port=" + journalistPort,
            "-Doniondrop.onion.backend=none",
            // A loaded CI machine was seen taking more than Agroal's default 5 s to open H2.
            "-Dquarkus.datasource.jdbc.acquisition-timeout=120S",
            "-Doniondrop.onion.socks-port=0",
            "-jar",
            db.jar()));
    app = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LargeUploadMemoryIT.awaitUp("http://127.0.0.1:" + port, log, ItSupport.START_TIMEOUT);
    return Files.readString(log);
  }

  /** SIGKILL: Process.destroyForcibly sends SIGKILL on Linux; no shutdown hook runs. */
  private void kill() throws InterruptedException {
    app.destroyForcibly();
    assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(app.exitValue()).isEqualTo(137);
    app = null;
  }

  private void halt() throws InterruptedException {
    app.destroy();
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
    app = null;
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }

  private static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(CrashSafetyIT::name).toList();
    }
  }
}
