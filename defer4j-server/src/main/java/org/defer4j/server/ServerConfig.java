package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.defer4j.server.store.Store;

/**
 * How a router server runs. Every setting has a key in the configuration file (YAML or JSON, one
 * mapping) and an environment variable, {@code DEFER4J_} and the key in upper case with {@code _}
 * for {@code -} ({@code max-batch} → {@code DEFER4J_MAX_BATCH}); the command line overrides the
 * environment, which overrides the file, which overrides the defaults. {@code experts} and {@code
 * upstreams} are set in the file only. docs/server.md lists every key.
 */
public final class ServerConfig {
  /** The scalar keys of the configuration file, each also an environment variable. */
  public static final Set<String> KEYS =
      Set.of(
          "host",
          "port",
          "data-dir",
          "jdbc-url",
          "jdbc-user",
          "jdbc-password",
          "policy",
          "shadow-policy",
          "api-key",
          "max-body-bytes",
          "max-policy-bytes",
          "max-batch",
          "sqlite-synchronous",
          "store-readers",
          "store-batch",
          "sync-millis",
          "shutdown-timeout-millis",
          "log-requests",
          "upstream-timeout-millis",
          "cooldown-millis",
          "threads");

  /** The keys of the file that are not scalars. */
  public static final Set<String> LIST_KEYS = Set.of("experts", "upstreams");

  private final Map<String, String> values;
  private final List<ExpertSpec> experts;
  private final Map<String, Upstream> upstreams;

  private ServerConfig(Builder b) {
    this.values = Map.copyOf(b.values);
    this.experts = List.copyOf(b.experts);
    this.upstreams = Map.copyOf(b.upstreams);
    // Validate every value once, so a bad setting fails at start with its key named.
    port();
    maxBodyBytes();
    maxPolicyBytes();
    maxBatch();
    storeOptions();
    syncMillis();
    shutdownTimeoutMillis();
    logRequests();
    upstreamTimeoutMillis();
    cooldownMillis();
    threads();
  }

  /** A builder with the defaults (port 8080, data in {@code ./defer4j-data}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder from a configuration file (or none) and the environment.
   *
   * @param file a YAML or JSON file, or null
   * @param env the environment (System.getenv())
   * @throws IllegalArgumentException naming the key or file that is wrong
   */
  public static Builder load(Path file, Map<String, String> env) {
    Builder b = new Builder();
    if (file != null) {
      b.file(file);
    }
    for (String k : KEYS) {
      String v = env.get(envName(k));
      if (v != null && !v.isEmpty()) {
        b.values.put(k, v);
      }
    }
    return b;
  }

  /** The environment variable of a key. */
  public static String envName(String key) {
    return "DEFER4J_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private String get(String key, String def) {
    String v = values.get(key);
    return v == null || v.isEmpty() ? def : v;
  }

  private long getLong(String key, long def, long min, long max) {
    String v = get(key, null);
    if (v == null) {
      return def;
    }
    long x;
    try {
      x = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting " + key + " (" + envName(key) + ") must be an integer, got '" + v + "'");
    }
    if (x < min || x > max) {
      throw new IllegalArgumentException(
          "setting " + key + " must be in [" + min + ", " + max + "], got " + x);
    }
    return x;
  }

  private boolean getBoolean(String key, boolean def) {
    String v = get(key, null);
    if (v == null) {
      return def;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw new IllegalArgumentException(
              "setting " + key + " must be true or false, got '" + v + "'");
    };
  }

  /** The address to bind, or null for every interface. */
  public String host() {
    return get("host", null);
  }

  /** The port (0: a free one). */
  public int port() {
    return (int) getLong("port", 8080, 0, 65535);
  }

  /** The data directory (the SQLite store). */
  public Path dataDir() {
    return Path.of(get("data-dir", "defer4j-data"));
  }

  /** A PostgreSQL JDBC URL, or null for SQLite under the data directory. */
  public String jdbcUrl() {
    return get("jdbc-url", null);
  }

  /** The policy artifact to activate at start, or null. */
  public Path policyFile() {
    String v = get("policy", null);
    return v == null ? null : Path.of(v);
  }

  /** The shadow policy artifact to set at start, or null. */
  public Path shadowPolicyFile() {
    String v = get("shadow-policy", null);
    return v == null ? null : Path.of(v);
  }

  /** The first admin key ({@code DEFER4J_API_KEY}), or null. */
  public String apiKey() {
    return get("api-key", null);
  }

  /** The largest request body in bytes (except policy uploads). */
  public long maxBodyBytes() {
    return getLong("max-body-bytes", 1 << 20, 1024, 1L << 31);
  }

  /** The largest policy upload in bytes. */
  public long maxPolicyBytes() {
    return getLong("max-policy-bytes", 64L << 20, 1024, 1L << 31);
  }

  /** The most cases in one {@code /v1/route} batch (and outcomes in one post). */
  public int maxBatch() {
    return (int) getLong("max-batch", 1000, 1, 1_000_000);
  }

  /** Milliseconds between checks for changes other processes made to the shared store. */
  public long syncMillis() {
    return getLong("sync-millis", 1000, 10, 3_600_000);
  }

  /** How long a graceful shutdown waits for requests in flight. */
  public long shutdownTimeoutMillis() {
    return getLong("shutdown-timeout-millis", 30_000, 0, 3_600_000);
  }

  /** Whether every request is logged (one JSON line). */
  public boolean logRequests() {
    return getBoolean("log-requests", true);
  }

  /** The timeout of one upstream chat request. */
  public long upstreamTimeoutMillis() {
    return getLong("upstream-timeout-millis", 120_000, 100, 3_600_000);
  }

  /**
   * How long an agent whose upstream failed or rate-limited is unavailable when the upstream sends
   * no {@code Retry-After}.
   */
  public long cooldownMillis() {
    return getLong("cooldown-millis", 5000, 0, 3_600_000);
  }

  /** The most HTTP worker threads. */
  public int threads() {
    return (int) getLong("threads", 200, 8, 10_000);
  }

  /** The registry entries the file seeds (written only for agents without an entry). */
  public List<ExpertSpec> experts() {
    return experts;
  }

  /** The chat upstreams by agent. */
  public Map<String, Upstream> upstreams() {
    return upstreams;
  }

  /** How to open the store. */
  public Store.Options storeOptions() {
    String url = jdbcUrl() == null ? Store.sqliteUrl(dataDir()) : jdbcUrl();
    boolean sqlite = url.startsWith("jdbc:sqlite:");
    return new Store.Options(
        url,
        get("jdbc-user", null),
        get("jdbc-password", null),
        get("sqlite-synchronous", "FULL").toUpperCase(Locale.ROOT),
        (int) getLong("store-readers", sqlite ? 4 : 8, 1, 256),
        (int) getLong("store-batch", 512, 1, 100_000));
  }

  /** This configuration with other settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.values.putAll(values);
    b.experts.addAll(experts);
    b.upstreams.putAll(upstreams);
    return b;
  }

  /** Collects settings. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<ExpertSpec> experts = new ArrayList<>();
    private final Map<String, Upstream> upstreams = new LinkedHashMap<>();

    private Builder() {}

    /** Sets a key of {@link #KEYS} (null removes it). */
    public Builder set(String key, Object value) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown setting '" + key + "'; the settings are " + new TreeSet<>(KEYS));
      }
      if (value == null) {
        values.remove(key);
      } else {
        values.put(key, value.toString());
      }
      return this;
    }

    /** The address to bind. */
    public Builder host(String h) {
      return set("host", h);
    }

    /** The port (0: a free one). */
    public Builder port(int p) {
      return set("port", p);
    }

    /** The data directory. */
    public Builder dataDir(Path d) {
      return set("data-dir", d);
    }

    /** A PostgreSQL JDBC URL. */
    public Builder jdbcUrl(String u) {
      return set("jdbc-url", u);
    }

    /** A policy artifact to activate at start. */
    public Builder policyFile(Path f) {
      return set("policy", f);
    }

    /** The first admin key. */
    public Builder apiKey(String k) {
      return set("api-key", k);
    }

    /** Adds a registry entry to seed. */
    public Builder expert(ExpertSpec e) {
      experts.removeIf(x -> x.name().equals(e.name()));
      experts.add(e);
      return this;
    }

    /** Adds a chat upstream. */
    public Builder upstream(Upstream u) {
      upstreams.put(u.agent(), u);
      return this;
    }

    /** Reads a configuration file. */
    public Builder file(Path file) {
      JsonNode root;
      try {
        root = new YAMLMapper().readTree(Files.readString(file));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            file + ": cannot be read as YAML or JSON: " + e.getMessage());
      }
      if (root == null || root.isNull() || root.isMissingNode()) {
        return this;
      }
      if (!root.isObject()) {
        throw new IllegalArgumentException(file + ": the configuration must be one mapping");
      }
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        String k = e.getKey();
        JsonNode v = e.getValue();
        if (k.equals("experts")) {
          experts(file, v);
        } else if (k.equals("upstreams")) {
          upstreams(file, v);
        } else if (KEYS.contains(k)) {
          if (!v.isValueNode()) {
            throw new IllegalArgumentException(file + ": " + k + " must be a single value");
          }
          if (!v.isNull()) {
            values.put(k, v.asText());
          }
        } else {
          Set<String> all = new TreeSet<>(KEYS);
          all.addAll(LIST_KEYS);
          throw new IllegalArgumentException(
              file + ": unknown key '" + k + "'; the keys are " + all);
        }
      }
      return this;
    }

    private void experts(Path file, JsonNode v) {
      if (!v.isArray()) {
        throw new IllegalArgumentException(file + ": experts must be a list of entries");
      }
      ArrayNode a = (ArrayNode) v;
      for (int i = 0; i < a.size(); i++) {
        try {
          expert(ExpertSpec.fromJson(a.get(i), "experts[" + i + "]"));
        } catch (ApiException e) {
          throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
      }
    }

    private void upstreams(Path file, JsonNode v) {
      if (!v.isObject()) {
        throw new IllegalArgumentException(
            file + ": upstreams must map agent names to {base-url, model, api-key-env}");
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        String where = file + ": upstreams." + e.getKey();
        if (!e.getValue().isObject()) {
          throw new IllegalArgumentException(where + " must be a mapping");
        }
        ObjectNode o = (ObjectNode) e.getValue();
        Iterator<String> names = o.fieldNames();
        while (names.hasNext()) {
          String n = names.next();
          if (!Set.of("base-url", "model", "api-key-env").contains(n)) {
            throw new IllegalArgumentException(
                where + ": unknown key '" + n + "'; the keys are [api-key-env, base-url, model]");
          }
        }
        String base = o.path("base-url").asText(null);
        if (base == null) {
          throw new IllegalArgumentException(where + ".base-url is required");
        }
        URI uri;
        try {
          uri = new URI(base);
        } catch (URISyntaxException ex) {
          throw new IllegalArgumentException(where + ".base-url is not a URL: " + base);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new IllegalArgumentException(where + ".base-url must be http:// or https://");
        }
        String model = o.path("model").asText(e.getKey());
        upstream(new Upstream(e.getKey(), uri, model, o.path("api-key-env").asText(null)));
      }
    }

    /** The configuration. */
    public ServerConfig build() {
      return new ServerConfig(this);
    }
  }
}
