package org.oniondrop.dropbox.source.web;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionException;
import org.oniondrop.dropbox.core.admission.ClientId;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.i18n.Language;
import org.oniondrop.dropbox.core.service.InstanceSettings;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.core.upload.MultipartParser;
import org.oniondrop.dropbox.core.upload.SubmissionForm;
import org.oniondrop.dropbox.core.upload.SubmissionPolicy;
import org.oniondrop.dropbox.core.upload.UploadPipeline;
import org.oniondrop.dropbox.core.upload.UploadRejectedException;
import org.oniondrop.dropbox.core.upload.UploadRejectedException.Reason;
import org.oniondrop.dropbox.source.session.SourceSession;
import org.oniondrop.dropbox.source.session.SourceSessions;

/**
 * {@code POST /submit}: only the Vert.x wiring and the error page. Outside JAX-RS on purpose:
 * Quarkus' multipart support writes uploads to a temporary directory in plaintext (promise 1).
 *
 * <p>The body is parsed on the event loop as it arrives ({@link MultipartParser}, bounded), its
 * parts interpreted by {@link SubmissionForm} (CSRF first, then the message and each file in large
 * batches) and encrypted by the {@link UploadPipeline} on its bounded pool, which pauses the socket
 * when it falls behind. A per-upload minimum data rate cuts off slow-loris clients. Once the body
 * has ended the pipeline checks the form ({@link SubmissionPolicy}) and stores the message and all
 * files in one commit.
 *
 * <p>Outcomes: 303 to {@code /received} once everything is durable and committed; 413 with a page
 * when a limit is passed (the connection is then closed); 400 for malformed multipart, a missing or
 * wrong CSRF token, or an empty submission; 401 for an expired session; 408 for a too slow upload;
 * 429 when rate-limited; 503 when too many uploads run. Any refusal, failure or cut-off leaves no
 * file and no row.
 */
@ApplicationScoped
public class SubmitRoute {

  /** Route order: before the REST layer and any body handler. */
  static final int ORDER = -100;

  /** Largest slice copied at once out of a direct (off-heap) socket buffer for the parser. */
  static final int SCRATCH_BYTES = 64 * 1024;

  /**
   * Uploads one client (circuit, else session) may have in progress at once; more are refused with
   * 429 before any byte is read, so one client cannot hold the instance's upload slots ({@code
   * oniondrop.limits.max-concurrent-uploads}) with slow bodies.
   */
  static final int MAX_UPLOADS_PER_CLIENT = 2;

  /** Uploads in progress per client; an entry lives only while its client has one. */
  private final java.util.concurrent.ConcurrentHashMap<ClientId, Integer> uploadsByClient =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Retry-After, in seconds, on the busy page. */
  static final int BUSY_RETRY_SECONDS = 10;

  @Inject SourceSessions sessions;
  @Inject SourceService sources;
  @Inject InstanceSettings settings;
  @Inject SubmissionPolicy policy;
  @Inject UploadPipeline pipeline;
  @Inject DropboxConfig config;
  @Inject SourceLanguages languages;

  void register(@Observes Router router) {
    router.post("/submit").order(ORDER).handler(this::handle);
  }

  /** What the checks before the body decided: a session and limits, or a page to answer with. */
  private record Admission(
      ClientId client,
      SourceSession session,
      InstanceSettings.Settings settings,
      SubmissionPolicy.Limits limits,
      String boundary,
      int status,
      String page,
      Language language) {}

  private void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    Context context = Vertx.currentContext();
    Cookie cookie = req.getCookie(SourceSessions.COOKIE);
    String contentType = req.getHeader("Content-Type");
    String length = req.getHeader("Content-Length");
    String cookieValue = cookie == null ? null : cookie.getValue();
    ClientId client = SourceResource.clientOf(ctx, cookieValue);
    Language fallback = languages.choice().choose(null, null, req.getHeader("Accept-Language"));
    ctx.vertx()
        .<Admission>executeBlocking(
            () -> admit(client, cookieValue, contentType, length, fallback), false)
        .onComplete(
            r -> {
              if (r.failed()) {
                respond(
                    ctx,
                    500,
                    renderError(fallback, languages.msg(fallback).error_upload_failed(), "/", null),
                    true);
                return;
              }
              Admission a = r.result();
              if (a.status() != 0) {
                respond(ctx, a.status(), a.page(), true);
                return;
              }
              new Receiving(ctx, context, a).start();
            });
  }

  private Admission admit(
      ClientId client, String cookie, String contentType, String length, Language fallback) {
    SourceSessions.Result found = sessions.find(cookie);
    InstanceSettings.Settings s = settings.current();
    SourceSession session = found.session();
    if (found.status() == SourceSessions.Lookup.EXPIRED || session == null || !session.loggedIn()) {
      String expired =
          languages
              .dress(
                  SourceResource.Templates.expired(s.organizationName()), fallback, "/login", null)
              .render();
      return new Admission(client, null, s, null, null, 401, expired, fallback);
    }
    Language language = session.language() != null ? session.language() : fallback;
    SubmissionPolicy.Limits limits = policy.limits(s);
    String boundary = MultipartParser.boundaryOf(contentType);
    if (boundary == null) {
      return refuse(s, limits, Reason.MALFORMED, language, session);
    }
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > limits.maxFormBytes()) {
          return refuse(s, limits, Reason.SUBMISSION_TOO_LARGE, language, session);
        }
      } catch (NumberFormatException e) {
        return refuse(s, limits, Reason.MALFORMED, language, session);
      }
    }
    return new Admission(client, session, s, limits, boundary, 0, null, language);
  }

  private Admission refuse(
      InstanceSettings.Settings s,
      SubmissionPolicy.Limits limits,
      Reason reason,
      Language language,
      SourceSession session) {
    return new Admission(
        null,
        null,
        s,
        limits,
        null,
        status(reason),
        page(s, limits, reason, language, session),
        language);
  }

  /** The status a refusal is answered with. */
  static int status(Reason reason) {
    return switch (reason) {
      case MALFORMED,
          HEADERS_TOO_LARGE,
          CSRF,
          EMPTY,
          MESSAGE_TOO_LONG,
          MESSAGE_TOO_SHORT,
          MESSAGE_HAS_CODENAME ->
          400;
      case NO_DOCUMENTS -> 403;
      case TOO_SLOW -> 408;
      case TOO_MANY_PARTS, FORM_TOO_LARGE, FILE_TOO_LARGE, SUBMISSION_TOO_LARGE, TOO_MANY_FILES ->
          413;
      case RATE_LIMITED -> 429;
      case STORE_FAILED -> 500;
      case STORE_FULL -> 507;
      case BUSY, KDF_BUSY -> 503;
    };
  }

  /** The page a refusal shows: what happened and what to do, never exception text. */
  private String page(
      InstanceSettings.Settings s,
      SubmissionPolicy.Limits limits,
      Reason reason,
      Language language,
      SourceSession session) {
    Msg msg = languages.msg(language);
    String text =
        switch (reason) {
          case MALFORMED, HEADERS_TOO_LARGE -> msg.error_bad_request();
          case CSRF -> msg.error_csrf();
          case EMPTY -> msg.error_empty();
          case MESSAGE_TOO_LONG -> msg.error_message_too_long(limits.maxMessageChars());
          case MESSAGE_TOO_SHORT -> msg.error_message_too_short(s.initialMessageMinLength());
          case MESSAGE_HAS_CODENAME -> msg.error_message_has_codename();
          case NO_DOCUMENTS -> msg.error_no_documents();
          case TOO_SLOW -> msg.error_upload_too_slow();
          case FILE_TOO_LARGE ->
              msg.error_too_large(SourceResource.humanSize(limits.maxFileBytes()));
          case FORM_TOO_LARGE, SUBMISSION_TOO_LARGE ->
              msg.error_submission_too_large(SourceResource.humanSize(limits.maxSubmissionBytes()));
          case TOO_MANY_PARTS, TOO_MANY_FILES -> msg.error_too_many_files(limits.maxFiles());
          case RATE_LIMITED -> msg.error_rate_limited();
          case BUSY -> msg.error_uploads_busy();
          case KDF_BUSY -> msg.error_busy();
          case STORE_FAILED -> msg.error_upload_failed();
          case STORE_FULL -> msg.error_store_full();
        };
    // Rendered on the event loop: the organization name comes from the admission's settings,
    // never from a database read here.
    return languages
        .dress(
            SourceResource.Templates.error(s.organizationName(), text),
            language,
            "/lookup",
            session)
        .render();
  }

  /** An error page in the source's language (with the log-out control when logged in). */
  private String renderError(
      Language language, String message, String here, SourceSession session) {
    return languages
        .dress(
            SourceResource.Templates.error(settings.current().organizationName(), message),
            language,
            here,
            session)
        .render();
  }

  private static void respond(RoutingContext ctx, int status, String page, boolean close) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=UTF-8");
    if (status == 503 && ctx.response().headers().get("Retry-After") == null) {
      ctx.response().putHeader("Retry-After", Integer.toString(BUSY_RETRY_SECONDS));
    }
    if (close) {
      ctx.response().putHeader("Connection", "close");
    }
    ctx.response()
        .end(page)
        .onComplete(
            v -> {
              if (close && !ctx.request().isEnded()) {
                ctx.request().connection().close();
              }
            });
  }

  /** Whether the request asks for {@code 100 Continue} before it sends its body. */
  static boolean expectsContinue(HttpServerRequest req) {
    return req.version() != io.vertx.core.http.HttpVersion.HTTP_1_0
        && req.headers().contains("Expect", "100-continue", true);
  }

  /** One request body being received. Every method runs on the request's event loop. */
  private final class Receiving implements UploadPipeline.Upload.Listener {
    private final RoutingContext ctx;
    private final HttpServerRequest req;
    private final Context context;
    private final Admission admission;
    private final byte[] scratch = new byte[SCRATCH_BYTES];
    private final long windowMillis;
    private final long minWindowBytes;
    private UploadPipeline.Upload upload;
    private SubmissionForm form;
    private MultipartParser parser;
    private long timer = -1;
    private long windowBytes;
    private boolean paused;
    private boolean pausedInWindow;
    private boolean done;
    private boolean holdsClientSlot;

    Receiving(RoutingContext ctx, Context context, Admission admission) {
      this.ctx = ctx;
      this.req = ctx.request();
      this.context = context;
      this.admission = admission;
      this.windowMillis = Math.max(1, config.limits().uploadRateWindow().toMillis());
      this.minWindowBytes = config.limits().minUploadBytesPerSecond() * windowMillis / 1000;
    }

    void start() {
      boolean[] room = {false};
      uploadsByClient.compute(
          admission.client(),
          (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= MAX_UPLOADS_PER_CLIENT) {
              return n;
            }
            room[0] = true;
            return now + 1;
          });
      if (!room[0]) {
        reject(Reason.RATE_LIMITED);
        return;
      }
      holdsClientSlot = true;
      try {
        upload = pipeline.begin(admission.session().credentials().sourceId(), this);
      } catch (UploadRejectedException e) {
        reject(e.reason());
        return;
      }
      form = new SubmissionForm(admission.limits(), this::admit, upload);
      parser = new MultipartParser(admission.boundary(), admission.limits().parser(), form);
      req.handler(this::onChunk);
      req.endHandler(v -> onEnd());
      req.exceptionHandler(e -> reject(Reason.MALFORMED));
      req.connection().closeHandler(v -> abandon());
      timer = ctx.vertx().setPeriodic(windowMillis, id -> checkRate());
      if (expectsContinue(req)) {
        // RFC 9110 §10.1.1: the client waits for this before its body (curl waits up to a second
        // for every form over 1 MiB: without it a 256 MiB upload here took 2.6 s instead of 1.4).
        // Sent only now, once the form is admitted; a refusal above answered with its final
        // status and closed, so that client never sent its body.
        req.response().writeContinue();
      }
      req.resume();
    }

    /**
     * The CSRF token arrived (first part): check it, then charge the submission permits. Permits
     * are charged only here, after the CSRF check and before any byte is encrypted.
     */
    private void admit(String csrf) throws UploadRejectedException {
      SourceSession session = admission.session();
      if (!session.csrfMatches(csrf)) {
        throw new UploadRejectedException(Reason.CSRF);
      }
      if (!session.submissions().tryAcquire() || !sessions.trySubmission(admission.client())) {
        throw new UploadRejectedException(Reason.RATE_LIMITED);
      }
    }

    private void onChunk(Buffer chunk) {
      if (done) {
        return;
      }
      windowBytes += chunk.length();
      try {
        ByteBuf buf = chunk.getByteBuf();
        if (buf.hasArray()) {
          parser.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
        } else {
          int index = buf.readerIndex();
          int end = buf.writerIndex();
          while (index < end) {
            int n = Math.min(scratch.length, end - index);
            buf.getBytes(index, scratch, 0, n);
            parser.feed(scratch, 0, n);
            index += n;
          }
        }
      } catch (UploadRejectedException e) {
        reject(e.reason());
        return;
      }
      if (upload.full()) {
        paused = true;
        pausedInWindow = true;
        req.pause();
      }
    }

    @Override
    public void writable() {
      context.runOnContext(
          v -> {
            if (paused && !done) {
              paused = false;
              req.resume();
            }
          });
    }

    @Override
    public void failed() {
      context.runOnContext(
          v ->
              reject(
                  upload != null && upload.storeFull() ? Reason.STORE_FULL : Reason.STORE_FAILED));
    }

    /** Slow-loris: less than the minimum rate over a whole window (not paused by us) ends it. */
    private void checkRate() {
      if (done) {
        return;
      }
      if (!pausedInWindow && windowBytes < minWindowBytes) {
        reject(Reason.TOO_SLOW);
        return;
      }
      windowBytes = 0;
      pausedInWindow = paused;
    }

    private void onEnd() {
      if (done) {
        return;
      }
      stopTimer();
      try {
        parser.finish();
      } catch (UploadRejectedException e) {
        reject(e.reason());
        return;
      }
      if (!form.admitted()) {
        reject(Reason.CSRF);
        return;
      }
      done = true;
      SourceSession session = admission.session();
      String sourceId = session.credentials().sourceId();
      String message = form.message();
      var files = form.files();
      upload
          .finish(
              message,
              () ->
                  policy.check(
                      admission.settings(),
                      admission.limits(),
                      message,
                      files.size(),
                      sources.isPending(sourceId),
                      text -> session.codenameCheck().foundIn(text)))
          .whenComplete(
              (stored, error) ->
                  context.runOnContext(
                      v -> {
                        releaseClientSlot();
                        if (error == null) {
                          session.received(
                              files, message != null && !message.isBlank() ? message.length() : 0);
                          ctx.response()
                              .setStatusCode(303)
                              .putHeader("Location", "/received")
                              .end();
                          return;
                        }
                        Throwable cause =
                            error instanceof CompletionException ? error.getCause() : error;
                        Reason reason =
                            cause instanceof UploadRejectedException r
                                ? r.reason()
                                : Reason.STORE_FAILED;
                        if (cause instanceof UploadRejectedException r
                            && r.retryAfterSeconds() > 0) {
                          ctx.response()
                              .putHeader("Retry-After", Integer.toString(r.retryAfterSeconds()));
                        }
                        respond(
                            ctx,
                            status(reason),
                            page(
                                admission.settings(),
                                admission.limits(),
                                reason,
                                admission.language(),
                                admission.session()),
                            false);
                      }));
    }

    /** Refuses the form: discards everything, answers, closes the connection. */
    private void reject(Reason reason) {
      if (done) {
        return;
      }
      done = true;
      stopTimer();
      releaseClientSlot();
      if (upload != null) {
        upload.abort();
      }
      respond(
          ctx,
          status(reason),
          page(
              admission.settings(),
              admission.limits(),
              reason,
              admission.language(),
              admission.session()),
          true);
    }

    /** The client went away mid-upload: discard everything. */
    private void abandon() {
      if (done) {
        return;
      }
      done = true;
      stopTimer();
      releaseClientSlot();
      if (upload != null) {
        upload.abort();
      }
    }

    /** Gives back this upload's per-client place (once). */
    private void releaseClientSlot() {
      if (holdsClientSlot) {
        holdsClientSlot = false;
        uploadsByClient.computeIfPresent(admission.client(), (k, n) -> n <= 1 ? null : n - 1);
      }
    }

    private void stopTimer() {
      if (timer >= 0) {
        ctx.vertx().cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
