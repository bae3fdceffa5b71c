package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.totp.Totp;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.onion.client.OnionClient;
import org.oniondrop.onion.client.SocksServer;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The whole system as its users meet it: Debian's headless Chromium, through the SOCKS port and the
 * onion services, with JavaScript disabled. A source submits a message and a file; a journalist
 * (only with the client key) logs in, downloads the file and replies; the source reads the reply; a
 * second source reads every page in Persian (right to left), sends a message with three files in
 * one form (the multiple file input), sees the three names on the received page, logs out from it
 * and logs in again; real gpg opens the download and the three stored documents with the demo
 * secret key, each the bytes sent; the logs name nothing.
 */
@QuarkusTest
class BrowserEndToEndTest {

  /**
   * The guides' pictures (docs/source-guide.md, docs/journalist-guide.md): every run regenerates
   * them, so they always show the pages as they are.
   */
  static final Path SCREENSHOTS = Path.of("..", "docs", "images");

  static final Duration PAGE_TIMEOUT = Duration.ofSeconds(90);
  static final String MESSAGE = "The minutes of the board meeting are attached.";
  static final String REPLY = "Received, thank you. Is there a second page?";
  static final String PERSIAN_MESSAGE = "سلام. صورت‌جلسه‌ها در پوشهٔ دوم است.";

  @Inject OnionHosting onion;
  @Inject FirstRun firstRun;
  @Inject JournalistService journalists;
  @Inject DropboxConfig dropbox;

  private ChromeDriver browser(int socksPort, Path downloads) {
    Path chromium = Path.of("/usr/bin/chromium");
    Path driver = Path.of("/usr/bin/chromedriver");
    if (!Files.isExecutable(chromium) || !Files.isExecutable(driver)) {
      throw new IllegalStateException(
          "the end-to-end test needs Debian's chromium and chromium-driver (apt-get install"
              + " chromium chromium-driver; .ci/run installs them)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1100,1400",
        "--proxy-server=socks5://127.0.0.1:" + socksPort,
        // Every name resolves through the proxy; nothing leaves for a DNS server.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        // Tor Browser treats .onion origins as secure contexts; Chromium needs telling, or it
        // holds downloads over http:// as "insecure" awaiting a click.
        "--unsafely-treat-insecure-origin-as-secure=http://"
            + onion.sourceAddress()
            + ",http://"
            + onion.journalistAddress(),
        "--disable-features=InsecureDownloadWarnings,DownloadBubble");
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("profile.managed_default_content_settings.javascript", 2);
    prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
    prefs.put("download.prompt_for_download", false);
    prefs.put("safebrowsing.enabled", false);
    options.setExperimentalOption("prefs", prefs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
    ChromeDriver d = new ChromeDriver(service, options);
    d.manage().timeouts().pageLoadTimeout(PAGE_TIMEOUT);
    // Clicking a submit button does not wait for the next page: finding elements does.
    d.manage().timeouts().implicitlyWait(Duration.ofSeconds(30));
    return d;
  }

  private void screenshot(WebDriver d, String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    byte[] png = ((ChromeDriver) d).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name + ".png"), png);
  }

  @Test
  void aSourceAndAJournalistTalkThroughTheOnionServicesInChromium() throws Exception {
    onion.publication().get(120, TimeUnit.SECONDS);
    String source = "http://" + onion.sourceAddress();
    String journalist = "http://" + onion.journalistAddress();
    Path work = Files.createTempDirectory(Path.of("target"), "e2e");
    Path downloads = Files.createDirectories(work.resolve("downloads"));
    byte[] document = new byte[300_000];
    new Random(42).nextBytes(document);
    Path upload = Files.createDirectories(work.resolve("upload")).resolve("board-minutes.pdf");
    Files.write(upload, document);

    String codename;
    ChromeDriver src = browser(onion.socksPort(), downloads);
    try {
      // A source, JavaScript disabled: codename, message and file, logout, login again.
      src.get(source + "/");
      assertThat(src.getPageSource()).doesNotContain("<script");
      screenshot(src, "source-landing");
      src.findElement(By.cssSelector("a[href='/generate']")).click();
      codename = src.findElement(By.id("codename")).getText();
      assertThat(codename.split(" ")).hasSize(7);
      screenshot(src, "source-codename");
      src.findElement(By.cssSelector("form[action='/create'] button")).click();
      src.findElement(By.id("message")).sendKeys(MESSAGE);
      src.findElement(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
      screenshot(src, "source-submit");
      src.findElement(By.cssSelector("form[action='/submit'] button")).click();
      waitFor(src, "/received");
      screenshot(src, "source-received");
      // Log out straight from the received page (every logged-in page carries the control).
      src.findElement(By.cssSelector("form[action='/logout'] button")).click();
      waitFor(src, "/logout");
      screenshot(src, "source-logged-out");
      src.get(source + "/login");
      screenshot(src, "source-login");
      assertThat(src.findElements(By.id("codename"))).as(src.getPageSource()).hasSize(1);
      src.findElement(By.id("codename")).sendKeys(codename);
      src.findElement(By.cssSelector("form[action='/login'] button")).click();
      waitFor(src, "/lookup");
      screenshot(src, "source-logged-in-again");
    } finally {
      src.quit();
    }

    // Without the client key the journalist service cannot be reached.
    try (OnionClient keyless = new OnionClient(onion.network(), new SecureRandom());
        SocksServer keylessSocks = SocksServer.start(keyless, 0)) {
      ChromeDriver stranger = browser(keylessSocks.port(), downloads);
      try {
        // The SOCKS port answers the request with an error (tor's 0xF4 "client auth missing"
        // under SOCKS5's general failure), which Chromium reports as a failed connection.
        assertThatThrownBy(() -> stranger.get(journalist + "/journalist/login"))
            .isInstanceOf(org.openqa.selenium.WebDriverException.class)
            .hasMessageContaining("ERR_SOCKS_CONNECTION_FAILED");
        screenshot(stranger, "journalist-without-client-key");
      } finally {
        stranger.quit();
      }
    }

    // A journalist with the key (the server's SOCKS client loads the ClientOnionAuthDir).
    JournalistService.NewAccount account = journalists.create("e2edesk", "Ida", "Wells", false);
    String designation;
    ChromeDriver j = browser(onion.socksPort(), downloads);
    try {
      j.get(journalist + "/journalist/login");
      screenshot(j, "journalist-login");
      j.findElement(By.id("username")).sendKeys("e2edesk");
      j.findElement(By.id("passphrase")).sendKeys(new String(account.passphrase()));
      j.findElement(By.id("token"))
          .sendKeys(
              Totp.code(
                  account.totpSecret(),
                  Math.floorDiv(Instant.now().getEpochSecond(), Totp.STEP_SECONDS)));
      j.findElement(By.cssSelector("form[action='/journalist/login'] button")).click();
      List<org.openqa.selenium.WebElement> sources =
          j.findElements(By.cssSelector("a.designation"));
      assertThat(sources).hasSize(1);
      designation = sources.get(0).getText();
      screenshot(j, "journalist-sources");
      sources.get(0).click();
      new org.openqa.selenium.support.ui.WebDriverWait(j, PAGE_TIMEOUT)
          .until(x -> x.getCurrentUrl().contains("/journalist/col/"));
      screenshot(j, "journalist-conversation");
      j.findElements(By.cssSelector("a.download")).stream()
          .filter(a -> a.getText().endsWith("-doc.gz.gpg"))
          .findFirst()
          .orElseThrow()
          .click();
      Path downloaded = awaitDownload(downloads);
      j.findElement(By.id("message")).sendKeys(REPLY);
      j.findElement(By.cssSelector("form[action$='/reply'] button")).click();
      new org.openqa.selenium.support.ui.WebDriverWait(j, PAGE_TIMEOUT)
          .until(x -> x.getPageSource().contains("Your reply was encrypted and stored"));
      screenshot(j, "journalist-replied");
      j.get(journalist + "/journalist/account");
      screenshot(j, "journalist-account");
      // Re-enrolling one's own second factor asks for the passphrase and a fresh code (the next
      // step's: later than the one the login used, and within the verifier's window).
      j.findElement(By.cssSelector("#totp-start input[name='current_passphrase']"))
          .sendKeys(new String(account.passphrase()));
      j.findElement(By.cssSelector("#totp-start input[name='current_token']"))
          .sendKeys(
              Totp.code(
                  account.totpSecret(),
                  Math.floorDiv(Instant.now().getEpochSecond(), Totp.STEP_SECONDS) + 1));
      j.findElement(By.cssSelector("#totp-start button")).click();
      // The re-authentication runs Argon2id first: wait for the enrolment page.
      try {
        new org.openqa.selenium.support.ui.WebDriverWait(j, PAGE_TIMEOUT)
            .until(
                x ->
                    x.getCurrentUrl().endsWith("/journalist/totp")
                        || x.getPageSource().contains("class=\"message\""));
      } catch (org.openqa.selenium.TimeoutException e) {
        throw new AssertionError(
            "no enrolment page: " + j.getCurrentUrl() + "\n" + j.getPageSource(), e);
      }
      assertThat(j.findElements(By.cssSelector("img[src$='qr.png']")))
          .as(j.getPageSource())
          .hasSize(1);
      screenshot(j, "journalist-totp-enrollment");

      // Real gpg opens the download with the demo secret key: the uploaded bytes.
      byte[] gz = gpgDecrypt(work, firstRun.demoSecretKeyFile(), downloaded);
      try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
        assertThat(in.readAllBytes()).isEqualTo(document);
      }
      // And gunzip -N gives the document back under the source's file name, as the journalist
      // guide shows (the .gz container carries it, as in SecureDrop).
      Process gunzip =
          new ProcessBuilder("gunzip", "-N", "decrypted.gz")
              .directory(work.toFile())
              .redirectErrorStream(true)
              .start();
      String gunzipOut = new String(gunzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(gunzip.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(gunzip.exitValue()).as(gunzipOut).isZero();
      assertThat(work.resolve("board-minutes.pdf")).hasBinaryContent(document);
    } finally {
      j.quit();
    }

    // The source reads the reply.
    ChromeDriver again = browser(onion.socksPort(), downloads);
    try {
      again.get(source + "/login");
      again.findElement(By.id("codename")).sendKeys(codename);
      again.findElement(By.cssSelector("form[action='/login'] button")).click();
      assertThat(again.findElement(By.cssSelector(".reply pre")).getText()).isEqualTo(REPLY);
      screenshot(again, "source-reads-reply");
    } finally {
      again.quit();
    }

    // A source who reads Persian: every page right to left and in Persian, chosen with a plain
    // link (JavaScript is off), kept by the session through create, submit, log-out and login.
    // Three files the Persian source sends together, distinct names and random content.
    Path persianUploads = Files.createDirectories(work.resolve("upload-fa"));
    Random random = new Random(19);
    Map<String, byte[]> persianFiles = new LinkedHashMap<>();
    for (String name : List.of("ledger-one.csv", "letter-two.txt", "scan-three.jpg")) {
      byte[] bytes = new byte[2048 + 1024 * persianFiles.size()];
      random.nextBytes(bytes);
      Files.write(persianUploads.resolve(name), bytes);
      persianFiles.put(name, bytes);
    }
    Path store = dropbox.dataDir().resolve("store");
    Set<Path> storedBefore = storedFiles(store);
    String persianCodename;
    ChromeDriver fa = browser(onion.socksPort(), downloads);
    try {
      fa.get(source + "/");
      assertThat(fa.findElement(By.tagName("html")).getAttribute("dir")).isEqualTo("ltr");
      fa.findElement(By.cssSelector("nav.languages a[href='/?l=fa']")).click();
      new org.openqa.selenium.support.ui.WebDriverWait(fa, PAGE_TIMEOUT)
          .until(x -> "rtl".equals(x.findElement(By.tagName("html")).getAttribute("dir")));
      assertPersian(fa, "ارسال امن به");
      screenshot(fa, "source-fa-landing");
      fa.findElement(By.cssSelector("a[href='/generate']")).click();
      persianCodename = fa.findElement(By.id("codename")).getText();
      assertThat(persianCodename.split(" ")).hasSize(7);
      assertPersian(fa, "نام رمز شما");
      screenshot(fa, "source-fa-codename");
      fa.findElement(By.cssSelector("form[action='/create'] button")).click();
      fa.findElement(By.id("message")).sendKeys(PERSIAN_MESSAGE);
      // One form, three files: chromedriver takes several paths joined by newlines.
      fa.findElement(By.id("file"))
          .sendKeys(
              persianFiles.keySet().stream()
                  .map(n -> persianUploads.resolve(n).toAbsolutePath().toString())
                  .collect(Collectors.joining("\n")));
      assertPersian(fa, "فرستادن پیام یا سند");
      screenshot(fa, "source-fa-submit");
      fa.findElement(By.cssSelector("form[action='/submit'] button")).click();
      waitFor(fa, "/received");
      assertPersian(fa, "سپاسگزاریم. ارسال شما دریافت و رمزگذاری شد.");
      assertThat(
              fa.findElements(By.cssSelector("ul.received .file-name")).stream()
                  .map(org.openqa.selenium.WebElement::getText)
                  .toList())
          .containsExactlyInAnyOrderElementsOf(persianFiles.keySet());
      screenshot(fa, "source-fa-received");
      fa.findElement(By.cssSelector("form[action='/logout'] button")).click();
      waitFor(fa, "/logout");
      assertPersian(fa, "شما خارج شدید.");
      screenshot(fa, "source-fa-logged-out");
      fa.get(source + "/login?l=fa");
      assertPersian(fa, "با نام رمز خود وارد شوید");
      screenshot(fa, "source-fa-login");
      fa.findElement(By.id("codename")).sendKeys(persianCodename);
      fa.findElement(By.cssSelector("form[action='/login'] button")).click();
      waitFor(fa, "/lookup");
      assertPersian(fa, "پاسخ\u200cها");
      screenshot(fa, "source-fa-logged-in-again");
    } finally {
      fa.quit();
    }

    // Real gpg opens the three documents the server stored for the Persian source: each is one
    // of the files sent, all three are there, and the message was stored beside them.
    Set<Path> storedNow = storedFiles(store);
    storedNow.removeAll(storedBefore);
    List<Path> persianDocs =
        storedNow.stream().filter(p -> p.getFileName().toString().endsWith("-doc.gz.gpg")).toList();
    assertThat(persianDocs).as(storedNow.toString()).hasSize(3);
    assertThat(storedNow)
        .as(storedNow.toString())
        .anyMatch(p -> p.getFileName().toString().endsWith("-msg.gpg"));
    Set<String> matched = new HashSet<>();
    for (Path doc : persianDocs) {
      Files.deleteIfExists(work.resolve("decrypted.gz"));
      byte[] gz = gpgDecrypt(work, firstRun.demoSecretKeyFile(), doc);
      byte[] plain;
      try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
        plain = in.readAllBytes();
      }
      String sent =
          persianFiles.entrySet().stream()
              .filter(e -> Arrays.equals(e.getValue(), plain))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElseThrow(() -> new AssertionError(doc.getFileName() + " is none of the files"));
      matched.add(sent);
    }
    assertThat(matched).isEqualTo(persianFiles.keySet());

    // The logs of the run name none of it (design promise 6).
    String log = Files.readString(Path.of("target", "server-test.log"), StandardCharsets.UTF_8);
    assertThat(log).isNotEmpty();
    for (String secret :
        List.of(
            codename,
            persianCodename,
            PERSIAN_MESSAGE,
            designation,
            "board-minutes",
            "ledger-one",
            "letter-two",
            "scan-three",
            MESSAGE,
            REPLY,
            codename.split(" ")[0] + " " + codename.split(" ")[1])) {
      assertThat(log).as("the log must not contain %s", "a secret").doesNotContain(secret);
    }
  }

  /**
   * The page is Persian, right to left, says {@code text}, and says (in Persian) that codenames
   * stay words of the EFF's English list.
   */
  private static void assertPersian(WebDriver d, String text) {
    org.openqa.selenium.WebElement html = d.findElement(By.tagName("html"));
    assertThat(html.getAttribute("lang")).isEqualTo("fa");
    assertThat(html.getAttribute("dir")).isEqualTo("rtl");
    String body = d.findElement(By.tagName("body")).getText();
    assertThat(body).contains(text);
    assertThat(body).contains("فهرست انگلیسی EFF");
  }

  /** Waits until the browser shows a page whose path ends with {@code suffix}. */
  private static void waitFor(WebDriver d, String suffix) {
    new org.openqa.selenium.support.ui.WebDriverWait(d, PAGE_TIMEOUT)
        .until(x -> x.getCurrentUrl().endsWith(suffix));
  }

  /** Every file under the store, one directory per source. */
  private static Set<Path> storedFiles(Path store) throws IOException {
    if (!Files.isDirectory(store)) {
      return new HashSet<>();
    }
    try (Stream<Path> files = Files.walk(store)) {
      return files.filter(Files::isRegularFile).collect(Collectors.toCollection(HashSet::new));
    }
  }

  private static Path awaitDownload(Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(dir)) {
        var done = files.filter(p -> p.getFileName().toString().endsWith(".gpg")).findFirst();
        if (done.isPresent()) {
          return done.get();
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the browser did not finish the download");
  }

  private static byte[] gpgDecrypt(Path work, Path secretKey, Path file) throws Exception {
    // Short, in /tmp: gpg-agent's socket path inside GNUPGHOME must fit in 107 bytes.
    Path home = Files.createTempDirectory("od-gnupg-");
    Files.setPosixFilePermissions(
        home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    try {
      run(home, "--import", secretKey.toString());
      Path out = work.resolve("decrypted.gz");
      run(home, "--output", out.toString(), "--decrypt", file.toString());
      return Files.readAllBytes(out);
    } finally {
      ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "all");
      kill.environment().put("GNUPGHOME", home.toString());
      kill.start().waitFor(10, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(Path home, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--quiet"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("GNUPGHOME", home.toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
