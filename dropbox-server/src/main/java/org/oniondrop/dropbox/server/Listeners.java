package org.oniondrop.dropbox.server;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Two listeners, one per interface (design promise 5). Quarkus' HTTP server is the source listener;
 * a second Vert.x server on the journalist port serves the same router. Which listener a request
 * came in on is decided once, here, from the connection's local port, and two gates use it:
 *
 * <ul>
 *   <li>this filter, for every route (REST, static files, OpenAPI, health): journalist paths
 *       ({@code /journalist}, {@code /api}, {@code /jstatic/}, {@code /q}) answer 404 on the source
 *       listener, and every other path answers 404 on the journalist listener. The path it looks at
 *       can be trusted because {@link RequestTargetGate} has already refused every target that
 *       another layer could read differently ({@code ;}, percent-encoding, dot segments, ...);
 *   <li>{@link ListenerResourceGate}, for every REST resource method after matching: a resource of
 *       the journalist module (pages and API) runs only on the journalist listener and every other
 *       resource only on the source listener, whatever path it was matched by. A journalist
 *       resource added later at a new path is therefore still unreachable from the source side.
 * </ul>
 *
 * A third, optional listener is the source listener behind a PROXY protocol header (see {@link
 * ServerConfig#sourceProxyPort()}); it is not the journalist port, so it counts as a source
 * listener for both gates. Each onion service maps to one listener only.
 */
@ApplicationScoped
public class Listeners {

  /**
   * After the security headers (1000) and the request-target gate (990), before the body limits
   * (900) and every route.
   */
  static final int FILTER_PRIORITY = 980;

  /**
   * Routing-context key holding {@link Boolean#TRUE} on the journalist listener and {@code FALSE}
   * on the source listener; later filters (the journalist body limits) read it instead of guessing
   * from the path.
   */
  public static final String ON_JOURNALIST_LISTENER =
      org.oniondrop.dropbox.journalist.web.BodyLimits.ON_JOURNALIST_LISTENER;

  /** Header and form limits the journalist listener shares with Quarkus' server. */
  static final int MAX_HEADER_BYTES = 20 * 1024;

  static final int MAX_FORM_ATTRIBUTE_BYTES = 1024 * 1024;

  /** A PROXY header must arrive within this long (tor sends it at once). */
  static final long PROXY_HEADER_TIMEOUT_SECONDS = 10;

  /** Idle connections on the journalist listener close after this long (large downloads). */
  static final int IDLE_TIMEOUT_SECONDS = 30 * 60;

  @Inject Vertx vertx;
  @Inject ServerConfig config;
  @Inject @io.quarkus.runtime.annotations.CommandLineArguments String[] commandLine;

  @ConfigProperty(name = "quarkus.http.host")
  String host;

  private volatile Router router;
  private volatile HttpServer journalist;
  private volatile HttpServer sourceProxy;

  void router(@Observes Router router) {
    this.router = router;
  }

  void filter(@Observes Filters filters) {
    filters.register(this::split, FILTER_PRIORITY);
  }

  void start(@Observes @Priority(10) StartupEvent event) throws Exception {
    if (commandLine.length > 0) {
      return; // a command such as create-admin runs without the journalist listener
    }
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(config.journalistPort())
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            .setMaxFormAttributeSize(MAX_FORM_ATTRIBUTE_BYTES)
            .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setCompressionSupported(false);
    journalist =
        vertx
            .createHttpServer(options)
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    if (config.sourceProxyPort() >= 0) {
      sourceProxy =
          vertx
              .createHttpServer(sourceProxyOptions(host, config.sourceProxyPort()))
              .requestHandler(router)
              .listen()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The PROXY-protocol source listener's options: Vert.x's HAProxy support (netty's decoder, v1 and
   * v2) reads the header before HTTP and reports its source address as the request's remote
   * address; a connection whose first bytes are not a valid header is closed, and a header not sent
   * within {@value #PROXY_HEADER_TIMEOUT_SECONDS} s closes the connection too.
   */
  static HttpServerOptions sourceProxyOptions(String host, int port) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setUseProxyProtocol(true)
        .setProxyProtocolTimeout(PROXY_HEADER_TIMEOUT_SECONDS)
        .setProxyProtocolTimeoutUnit(TimeUnit.SECONDS)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxFormAttributeSize(MAX_FORM_ATTRIBUTE_BYTES)
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setCompressionSupported(false);
  }

  void stop(@Observes ShutdownEvent event) {
    HttpServer s = journalist;
    if (s != null) {
      s.close();
    }
    HttpServer p = sourceProxy;
    if (p != null) {
      p.close();
    }
  }

  /** The PROXY-protocol source listener's bound port, or -1 when it is off. */
  public int sourceProxyPort() {
    HttpServer p = sourceProxy;
    return p == null ? -1 : p.actualPort();
  }

  /** The journalist listener's bound port. */
  public int journalistPort() {
    return journalist.actualPort();
  }

  public String host() {
    return host;
  }

  /** Whether a path belongs to the journalist interface. */
  static boolean journalistPath(String path) {
    return path.equals("/journalist")
        || path.startsWith("/journalist/")
        || path.startsWith("/api/")
        || path.equals("/api")
        || path.startsWith("/jstatic/")
        || path.equals("/q")
        || path.startsWith("/q/");
  }

  /** Whether {@code request} arrived on the journalist listener (by its local port). */
  public boolean onJournalist(io.vertx.core.http.HttpServerRequest request) {
    HttpServer j = journalist;
    return j != null
        && request.localAddress() != null
        && request.localAddress().port() == j.actualPort();
  }

  void split(RoutingContext rc) {
    boolean onJournalist = onJournalist(rc.request());
    rc.put(ON_JOURNALIST_LISTENER, onJournalist);
    String path = rc.normalizedPath();
    if (onJournalist && path.equals("/")) {
      rc.redirect("/journalist/");
      return;
    }
    if (onJournalist != journalistPath(path)) {
      rc.response()
          .setStatusCode(404)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("Not Found\n");
      return;
    }
    rc.next();
  }
}
