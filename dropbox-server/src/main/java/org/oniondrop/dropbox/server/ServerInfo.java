package org.oniondrop.dropbox.server;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Says where the source interface listens once the application is up. */
@ApplicationScoped
public class ServerInfo {

  private static final Logger LOG = Logger.getLogger(ServerInfo.class.getName());

  @ConfigProperty(name = "quarkus.http.host")
  String host;

  void onStart(@Observes StartupEvent event) {
    LOG.info("OnionDrop source interface listening on " + host);
  }
}
