package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oniondrop.crypto.totp.Totp;

/**
 * The packaged application, started twice on the same data directory: the onion addresses, the
 * first admin, the submission key and the submissions all survive the restart, and the first-run
 * steps do not run again.
 */
class RestartIT {

  @TempDir Path work;
  private Process app;

  @AfterEach
  void stop() throws Exception {
    halt();
  }

  private void halt() throws InterruptedException {
    if (app != null) {
      app.destroy();
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
      app = null;
    }
  }

  private String start(Path data, Path log, int port, int journalistPort) throws Exception {
    app =
        new ProcessBuilder(
                ItSupport.java(),
                "-Doniondrop.data-dir=" + data,
                "-Doniondrop.sources.kdf=scrypt:N=16,r=1,p=1",
                "-Doniondrop.sources.allow-test-kdf=true",
                "-Doniondrop.journalists.passphrase-kdf=argon2id:m=64,t=1,p=1",
                "-Doniondrop.journalists.allow-test-kdf=true",
                "-Dquarkus.http.port=" + port,
                "-Doniondrop.server.journalist-port=" + journalistPort,
                "-Doniondrop.onion.socks-port=0",
                "-Doniondrop.onion.relays=5",
                "-jar",
                System.getProperty("quarkus.app.jar"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String base = "http://127.0.0.1:" + port;
    LargeUploadMemoryIT.awaitUp(base, log);
    return base;
  }

  @Test
  void addressesAccountsKeysAndSubmissionsSurviveARestart() throws Exception {
    Path data = work.resolve("data");
    int port = ItSupport.freePort();
    int journalistPort = ItSupport.freePort();
    Path firstLog = work.resolve("first.log");
    String base = start(data, firstLog, port, journalistPort);
    JsonNode before = new ObjectMapper().readTree(data.resolve("oniondrop-info.json").toFile());
    String output = Files.readString(firstLog);
    String passphrase = ItSupport.line(output, "Passphrase (shown once, write it down): ");
    org.oniondrop.crypto.SecretBytes totp =
        Totp.parseBase32(ItSupport.line(output, "TOTP secret (add to an authenticator app): "));

    // A source submits a message.
    String[] generate = LargeUploadMemoryIT.get(base + "/generate", null);
    Matcher m = Pattern.compile("id=\"codename\">([^<]+)<").matcher(generate[0]);
    assertThat(m.find()).isTrue();
    String codename = m.group(1).trim();
    // Creating the source gives the session a new id (session fixation): keep the new cookie.
    String cookie =
        post(
                base + "/create",
                generate[1].split(";")[0],
                "csrf_token=" + LargeUploadMemoryIT.csrf(generate))
            .getHeaderField("Set-Cookie")
            .split(";")[0];
    String csrf = LargeUploadMemoryIT.csrf(LargeUploadMemoryIT.get(base + "/lookup", cookie));
    String boundary = "----restart-it";
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            + csrf
            + "\r\n--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n"
            + "A message that must outlive a restart.\r\n--"
            + boundary
            + "--\r\n";
    HttpURLConnection submit = open(base + "/submit", cookie);
    submit.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + boundary);
    try (OutputStream out = submit.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(submit.getResponseCode()).isEqualTo(303);

    halt();
    Path secondLog = work.resolve("second.log");
    start(data, secondLog, port, journalistPort);
    JsonNode after = new ObjectMapper().readTree(data.resolve("oniondrop-info.json").toFile());
    assertThat(after.get("sourceAddress")).isEqualTo(before.get("sourceAddress"));
    assertThat(after.get("journalistAddress")).isEqualTo(before.get("journalistAddress"));
    assertThat(after.get("submissionKeyFingerprint"))
        .isEqualTo(before.get("submissionKeyFingerprint"));
    assertThat(Files.readString(secondLog)).doesNotContain("Passphrase (shown once");
    assertThat(Files.readString(secondLog)).contains("DEMO MODE");

    // The first admin logs in to the API with the secrets printed on the first run.
    String journalist = "http://127.0.0.1:" + journalistPort;
    long step = Math.floorDiv(Instant.now().getEpochSecond(), Totp.STEP_SECONDS);
    String code = Totp.code(totp, step);
    HttpURLConnection token = open(journalist + "/api/v1/token", null);
    token.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = token.getOutputStream()) {
      out.write(
          new ObjectMapper()
              .writeValueAsBytes(
                  java.util.Map.of(
                      "username", "admin", "passphrase", passphrase, "one_time_code", code)));
    }
    assertThat(token.getResponseCode()).isEqualTo(200);
    String t = new ObjectMapper().readTree(token.getInputStream()).get("token").asText();
    HttpURLConnection sources =
        (HttpURLConnection) URI.create(journalist + "/api/v1/sources").toURL().openConnection();
    sources.setRequestProperty("Authorization", "Token " + t);
    JsonNode list = new ObjectMapper().readTree(sources.getInputStream()).get("sources");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("number_of_messages").asInt()).isEqualTo(1);

    // And the source logs in with its codename.
    String[] login = LargeUploadMemoryIT.get(base + "/login", null);
    String loginCookie = login[1].split(";")[0];
    HttpURLConnection again =
        post(
            base + "/login",
            loginCookie,
            "csrf_token="
                + LargeUploadMemoryIT.csrf(login)
                + "&codename="
                + java.net.URLEncoder.encode(codename, StandardCharsets.UTF_8));
    assertThat(again.getHeaderField("Location")).endsWith("/lookup");
  }

  @Test
  void withoutDemoModeTheServerRefusesToStartWithoutASubmissionKey() throws Exception {
    Path log = work.resolve("refused.log");
    Process p =
        new ProcessBuilder(
                ItSupport.java(),
                "-Doniondrop.data-dir=" + work.resolve("data"),
                "-Doniondrop.server.allow-demo=false",
                "-Dquarkus.http.port=" + ItSupport.freePort(),
                "-Doniondrop.server.journalist-port=0",
                "-Doniondrop.onion.socks-port=0",
                "-jar",
                System.getProperty("quarkus.app.jar"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(Files.readString(log)).contains("no submission key: set oniondrop.submission-key");
    assertThat(work.resolve("data").resolve(FirstRun.DEMO_SECRET_KEY_FILE)).doesNotExist();
  }

  private static HttpURLConnection open(String url, String cookie) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setInstanceFollowRedirects(false);
    c.setDoOutput(true);
    c.setRequestMethod("POST");
    if (cookie != null) {
      c.setRequestProperty("Cookie", cookie);
    }
    return c;
  }

  private static HttpURLConnection post(String url, String cookie, String form) throws IOException {
    HttpURLConnection c = open(url, cookie);
    c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
    try (OutputStream out = c.getOutputStream()) {
      out.write(form.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(c.getResponseCode()).isEqualTo(303);
    return c;
  }
}
