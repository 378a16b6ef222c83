package org.defer4j.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a router server runs: where it listens, where it keeps its store, which policy it starts
 * with. Immutable; build one with {@link #builder()}.
 *
 * @param host the address to bind (null: every interface)
 * @param port the port (0: a free port, see {@link RouterServer#port()})
 * @param dataDir the data directory (the SQLite store, uploaded policies)
 * @param jdbcUrl a JDBC URL of a PostgreSQL store, or null for SQLite under {@code dataDir}
 * @param policyFile a policy artifact to activate at start, or null
 */
public record ServerConfig(String host, int port, Path dataDir, String jdbcUrl, Path policyFile) {

  /** Validates. */
  public ServerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
  }

  /** A builder with the defaults: port 8080 on every interface, data in {@code ./defer4j-data}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the settings of a {@link ServerConfig}. */
  public static final class Builder {
    private String host;
    private int port = 8080;
    private Path dataDir = Path.of("defer4j-data");
    private String jdbcUrl;
    private Path policyFile;

    private Builder() {}

    /** The address to bind (null: every interface). */
    public Builder host(String h) {
      host = h;
      return this;
    }

    /** The port (0: a free one). */
    public Builder port(int p) {
      port = p;
      return this;
    }

    /** The data directory. */
    public Builder dataDir(Path d) {
      dataDir = d;
      return this;
    }

    /** A PostgreSQL JDBC URL (null: SQLite under the data directory). */
    public Builder jdbcUrl(String u) {
      jdbcUrl = u;
      return this;
    }

    /** A policy artifact to activate at start. */
    public Builder policyFile(Path f) {
      policyFile = f;
      return this;
    }

    /** The configuration. */
    public ServerConfig build() {
      return new ServerConfig(host, port, dataDir, jdbcUrl, policyFile);
    }
  }
}
