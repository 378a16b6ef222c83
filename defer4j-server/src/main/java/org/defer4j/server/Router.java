package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.defer4j.core.constraint.CapacityRouting;
import org.defer4j.core.policy.CalibratedThreshold;
import org.defer4j.core.policy.Decision;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.server.store.Dialect;
import org.defer4j.server.store.Store;
import org.defer4j.server.store.Tx;
import org.defer4j.server.store.WriteOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router in-process: decisions under live budgets, outcomes, the expert registry, policies with
 * rollback and a shadow, API keys, and the dashboard's figures, over one {@link Store}. The HTTP
 * API ({@link RouterServer}) is a thin layer over it; a Java program can use it directly ({@link
 * #open}).
 *
 * <p>Thread-safe. The active policy, the registry and the keys are an immutable snapshot swapped
 * atomically: a policy switch never fails a request (requests in flight finish on the policy they
 * started with; every decision records its policy). Several processes may share one PostgreSQL
 * store: each reloads the snapshot when the store's version changes (checked every {@code
 * syncMillis}, and by every decision's transaction before it reserves a budget).
 */
public final class Router implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /** The bundled demo policy (RouteLLM GSM8K, Mixtral or GPT-4, calibrated to 50 % GPT-4). */
  public static final String DEMO_POLICY = "/org/defer4j/server/demo-policy.json";

  private final Store store;
  private final ServerConfig config;
  private final Clock clock;
  private final Metrics metrics;
  private final AtomicReference<Snapshot> state = new AtomicReference<>();
  private final Map<String, PolicyEntry> policies = new ConcurrentHashMap<>();
  private final Set<Counters.Key> knownCounters = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> cooldown = new ConcurrentHashMap<>();
  private final Thread syncThread;
  private volatile String generatedAdminKey;
  private volatile ObjectNode dashboardCache;
  private volatile boolean closed;

  /**
   * What the router knows now.
   *
   * @param version the store's version it was read at
   * @param active the active policy (null before one is set)
   * @param previous the policy before it (for rollback), or null
   * @param shadow the shadow policy, or null
   * @param activatedAt when the active policy was activated
   * @param registry the expert registry by agent name
   * @param keys API keys by hash
   */
  record Snapshot(
      long version,
      PolicyEntry active,
      PolicyEntry previous,
      PolicyEntry shadow,
      long activatedAt,
      Map<String, ExpertSpec> registry,
      Map<String, ApiKey> keys) {

    ExpertSpec spec(String agent) {
      ExpertSpec e = registry.get(agent);
      return e == null ? ExpertSpec.defaults(agent) : e;
    }
  }

  private Router(Store store, ServerConfig config, Clock clock, Metrics metrics) {
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.syncThread = new Thread(this::syncLoop, "defer4j-sync");
    syncThread.setDaemon(true);
  }

  /**
   * Opens a router on the store the configuration names (SQLite under the data directory unless a
   * JDBC URL is given): migrates the schema, seeds the registry from the configuration, activates
   * the configured policy (or, when none is active, the bundled demo policy) and makes the first
   * admin key when the store has none.
   *
   * @throws java.io.UncheckedIOException or {@link org.defer4j.server.store.StoreException} when
   *     the store or the policy file cannot be read
   */
  public static Router open(ServerConfig config) {
    return open(config, Clock.systemUTC(), new Metrics());
  }

  static Router open(ServerConfig config, Clock clock, Metrics metrics) {
    Store store;
    try {
      store = Store.open(config.storeOptions(), clock);
    } catch (SQLException e) {
      throw new org.defer4j.server.store.StoreException(e.getMessage(), e);
    }
    Router r = new Router(store, config, clock, metrics);
    try {
      r.start();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return r;
  }

  private void start() {
    reload();
    seedRegistry();
    if (config.policyFile() != null) {
      byte[] bytes = readFile(config.policyFile());
      PolicyEntry e = upload(bytes);
      if (state.get().active() == null || !state.get().active().id().equals(e.id())) {
        activate(e.id());
      }
    } else if (state.get().active() == null) {
      try (InputStream in = Router.class.getResourceAsStream(DEMO_POLICY)) {
        if (in == null) {
          throw new IllegalStateException("the bundled demo policy is missing from the jar");
        }
        PolicyEntry e = upload(in.readAllBytes());
        activate(e.id());
        LOG.info("no policy given: activated the bundled demo policy {}", e.id());
      } catch (IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
    }
    if (config.shadowPolicyFile() != null) {
      PolicyEntry e = upload(readFile(config.shadowPolicyFile()));
      setShadow(e.id());
    }
    bootstrapKeys();
    metrics.bind(this);
    syncThread.start();
  }

  private static byte[] readFile(java.nio.file.Path f) {
    try {
      return java.nio.file.Files.readAllBytes(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(f + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }

  // ---------------------------------------------------------------- state

  /** The active policy, or null. */
  public LearnedPolicy activePolicy() {
    PolicyEntry e = state.get().active();
    return e == null ? null : e.policy();
  }

  /** The active policy's entry, or null. */
  public PolicyEntry activeEntry() {
    return state.get().active();
  }

  Snapshot snapshot() {
    return state.get();
  }

  /** The store. */
  public Store store() {
    return store;
  }

  /** The metrics. */
  Metrics metrics() {
    return metrics;
  }

  /** The configuration. */
  public ServerConfig config() {
    return config;
  }

  /**
   * The admin key generated at start on a fresh store (when {@code DEFER4J_API_KEY} was not set),
   * or null. It is shown once; only its hash is stored.
   */
  public String generatedAdminKey() {
    return generatedAdminKey;
  }

  /** Rereads the policies, the registry and the keys from the store. */
  synchronized void reload() {
    Snapshot s =
        store.read(
            c -> {
              long version;
              String active;
              String previous;
              String shadow;
              long activatedAt;
              try (PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT version, active_policy, previous_policy, shadow_policy,"
                              + " activated_at FROM d4j_state WHERE id = 1");
                  ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  throw new SQLException("the store has no state row (d4j_state)");
                }
                version = rs.getLong(1);
                active = rs.getString(2);
                previous = rs.getString(3);
                shadow = rs.getString(4);
                activatedAt = rs.getLong(5);
              }
              Map<String, ExpertSpec> registry = readRegistry(c);
              Map<String, ApiKey> keys = new HashMap<>();
              try (PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT id, hash, role, name, created_at FROM d4j_api_key"
                              + " WHERE revoked_at IS NULL");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  keys.put(
                      rs.getString(2),
                      new ApiKey(
                          rs.getString(1),
                          Role.valueOf(rs.getString(3)),
                          rs.getString(4),
                          rs.getLong(5)));
                }
              }
              return new Snapshot(
                  version,
                  policy(c, active),
                  policy(c, previous),
                  policy(c, shadow),
                  activatedAt,
                  registry,
                  Map.copyOf(keys));
            });
    state.set(s);
  }

  private static Map<String, ExpertSpec> readRegistry(Connection c) throws SQLException {
    Map<String, ExpertSpec> registry = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, spec FROM d4j_expert");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        registry.put(rs.getString(1), ExpertSpec.fromJson(Json.read(rs.getString(2)), "stored"));
      }
    }
    return Map.copyOf(registry);
  }

  private PolicyEntry policy(Connection c, String id) throws SQLException {
    if (id == null) {
      return null;
    }
    PolicyEntry cached = policies.get(id);
    if (cached != null) {
      return cached;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, sha256, name, method, uploaded_at, artifact FROM d4j_policy WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("policy " + id + " is named in d4j_state but not stored");
        }
        PolicyEntry e =
            PolicyEntry.stored(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getString(6));
        policies.put(id, e);
        return e;
      }
    }
  }

  /** A stored policy by id, or null. */
  public PolicyEntry policy(String id) {
    PolicyEntry e = policies.get(id);
    if (e != null) {
      return e;
    }
    return store.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM d4j_policy WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return null;
              }
            }
          }
          return policy(c, id);
        });
  }

  private void syncLoop() {
    long lastDashboard = 0;
    while (!closed) {
      try {
        Thread.sleep(config.syncMillis());
        long v =
            store.read(
                c -> {
                  try (PreparedStatement ps =
                          c.prepareStatement("SELECT version FROM d4j_state WHERE id = 1");
                      ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1L;
                  }
                });
        if (v != state.get().version()) {
          reload();
        }
        long now = clock.millis();
        if (now - lastDashboard >= 5000) {
          dashboardCache = dashboard();
          lastDashboard = now;
          pruneKnownCounters(now);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("sync with the store failed: {}", e.getMessage());
        }
      }
    }
  }

  private void pruneKnownCounters(long now) {
    long cutoff = now / 1000 - 2 * 86400;
    knownCounters.removeIf(k -> k.periodSeconds() > 0 && k.periodStart() < cutoff);
  }

  /** The dashboard computed at the last sync (for the metrics' gauges), or null. */
  ObjectNode cachedDashboard() {
    return dashboardCache;
  }

  /** An admin change: runs {@code op} and bumps the store's version, then reloads. */
  private <T> T change(WriteOp<T> op) {
    T out =
        store.write(
            tx -> {
              T r = op.apply(tx);
              try (PreparedStatement ps =
                  tx.connection()
                      .prepareStatement(
                          "UPDATE d4j_state SET version = version + 1 WHERE id = 1")) {
                ps.executeUpdate();
              }
              return r;
            });
    reload();
    return out;
  }

  // ---------------------------------------------------------------- registry

  private void seedRegistry() {
    if (config.experts().isEmpty()) {
      return;
    }
    change(
        tx -> {
          for (ExpertSpec e : config.experts()) {
            try (PreparedStatement ps =
                tx.connection()
                    .prepareStatement(
                        "INSERT INTO d4j_expert (name, spec, updated_at) VALUES (?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
              ps.setString(1, e.name());
              ps.setString(2, Json.write(e.toJson()));
              ps.setLong(3, tx.now());
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  /** The registry entries (stored ones only). */
  public Map<String, ExpertSpec> registry() {
    return state.get().registry();
  }

  /** Writes registry entries (each replaces the agent's entry). */
  public void putExperts(List<ExpertSpec> entries) {
    change(
        tx -> {
          for (ExpertSpec e : entries) {
            try (PreparedStatement del =
                    tx.connection().prepareStatement("DELETE FROM d4j_expert WHERE name = ?");
                PreparedStatement ins =
                    tx.connection()
                        .prepareStatement(
                            "INSERT INTO d4j_expert (name, spec, updated_at) VALUES (?, ?, ?)")) {
              del.setString(1, e.name());
              del.executeUpdate();
              ins.setString(1, e.name());
              ins.setString(2, Json.write(e.toJson()));
              ins.setLong(3, tx.now());
              ins.executeUpdate();
            }
          }
          return null;
        });
  }

  /** Removes an agent's entry (it returns to the defaults); false when it had none. */
  public boolean deleteExpert(String name) {
    return change(
        tx -> {
          try (PreparedStatement del =
              tx.connection().prepareStatement("DELETE FROM d4j_expert WHERE name = ?")) {
            del.setString(1, name);
            return del.executeUpdate() > 0;
          }
        });
  }

  /**
   * The registry as {@code GET /v1/experts} shows it: every agent of the active policy (with the
   * defaults where it has no entry) and every other entry, each with whether it may be asked now,
   * why not, and what its budget has used in the current period.
   */
  public ObjectNode expertsJson() {
    Snapshot s = state.get();
    Instant now = clock.instant();
    Set<String> names = new LinkedHashSet<>();
    LearnedPolicy p = s.active() == null ? null : s.active().policy();
    if (p != null) {
      names.addAll(Arrays.asList(p.agents().names()));
    }
    names.addAll(s.registry().keySet());
    Map<Counters.Key, Long> counters = readCounters(names, s.registry(), now.toEpochMilli());
    ObjectNode out = Json.object();
    ArrayNode arr = out.putArray("experts");
    for (String name : names) {
      ExpertSpec e = s.spec(name);
      ObjectNode o = e.toJson();
      o.put("registered", s.registry().containsKey(name));
      o.put("inActivePolicy", p != null && p.agents().contains(name));
      if (p != null && p.agents().contains(name) && e.fee() == null) {
        o.put("taskFee", p.agents().get(p.agents().indexOf(name)).fee());
      }
      String why = e.unavailableBecause(now);
      Long until = cooldown.get(name);
      if (why == null && until != null && until > now.toEpochMilli()) {
        why = "rate-limited by its upstream until " + Instant.ofEpochMilli(until);
      }
      o.put("availableNow", why == null);
      if (why != null) {
        o.put("unavailableBecause", why);
      }
      long ps = e.periodSeconds();
      long start = Counters.start(ps, now.getEpochSecond());
      o.put("used", counters.getOrDefault(new Counters.Key(name, ps, start), 0L));
      if (e.period() != null) {
        o.put("periodStart", Instant.ofEpochSecond(start).toString());
        o.put("periodEnd", Instant.ofEpochSecond(start + ps).toString());
      }
      arr.add(o);
    }
    return out;
  }

  private Map<Counters.Key, Long> readCounters(
      Collection<String> agents, Map<String, ExpertSpec> registry, long nowMillis) {
    Set<Counters.Key> keys = Counters.keys(agents, registry, nowMillis);
    Set<Long> periods = new java.util.TreeSet<>();
    keys.forEach(k -> periods.add(k.periodSeconds()));
    long nowSeconds = Math.floorDiv(nowMillis, 1000);
    return store.read(
        c -> {
          StringBuilder sql =
              new StringBuilder(
                  "SELECT agent, period_seconds, period_start, used FROM d4j_counter WHERE ");
          int i = 0;
          for (long p : periods) {
            sql.append(i++ == 0 ? "" : " OR ").append("(period_seconds = ? AND period_start = ?)");
          }
          Map<Counters.Key, Long> out = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int k = 1;
            for (long p : periods) {
              ps.setLong(k++, p);
              ps.setLong(k++, Counters.start(p, nowSeconds));
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(
                    new Counters.Key(rs.getString(1), rs.getLong(2), rs.getLong(3)), rs.getLong(4));
              }
            }
          }
          return out;
        });
  }

  // ---------------------------------------------------------------- policies

  /** Stores an uploaded artifact (a no-op when it is stored already) and returns its entry. */
  public PolicyEntry upload(byte[] artifact) {
    PolicyEntry e = PolicyEntry.fromArtifact(artifact, clock.millis());
    PolicyEntry known = policy(e.id());
    if (known != null) {
      return known;
    }
    store.write(
        tx -> {
          try (PreparedStatement ps =
              tx.connection()
                  .prepareStatement(
                      "INSERT INTO d4j_policy (id, sha256, name, method, artifact, uploaded_at)"
                          + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, e.id());
            ps.setString(2, e.sha256());
            ps.setString(3, e.name());
            ps.setString(4, e.method());
            ps.setString(5, e.artifact());
            ps.setLong(6, e.uploadedAt());
            ps.executeUpdate();
          }
          return null;
        });
    policies.put(e.id(), e);
    LOG.info("stored policy {} ({}, {})", e.id(), e.name(), e.method());
    return e;
  }

  /** Every stored policy (without artifacts), newest first, with its role. */
  public ObjectNode policiesJson() {
    Snapshot s = state.get();
    ObjectNode out = Json.object();
    out.put("active", s.active() == null ? null : s.active().id());
    out.put("previous", s.previous() == null ? null : s.previous().id());
    out.put("shadow", s.shadow() == null ? null : s.shadow().id());
    if (s.active() != null) {
      out.put("activatedAt", Instant.ofEpochMilli(s.activatedAt()).toString());
    }
    ArrayNode arr = out.putArray("policies");
    store.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT id, name, method, uploaded_at, sha256 FROM d4j_policy"
                          + " ORDER BY uploaded_at DESC, id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ObjectNode o = arr.addObject();
              String id = rs.getString(1);
              o.put("id", id);
              o.put("name", rs.getString(2));
              o.put("method", rs.getString(3));
              o.put("uploadedAt", Instant.ofEpochMilli(rs.getLong(4)).toString());
              o.put("sha256", rs.getString(5));
              o.put("active", s.active() != null && s.active().id().equals(id));
              o.put("previous", s.previous() != null && s.previous().id().equals(id));
              o.put("shadow", s.shadow() != null && s.shadow().id().equals(id));
            }
          }
          return null;
        });
    return out;
  }

  /** One policy's description (agents, features, rule), or 404. */
  public ObjectNode policyJson(String id) {
    PolicyEntry e = policy(id);
    if (e == null) {
      throw ApiException.notFound("no policy " + Json.abbreviate(id));
    }
    return describe(e);
  }

  static ObjectNode describe(PolicyEntry e) {
    ObjectNode o = Json.object();
    LearnedPolicy p = e.policy();
    o.put("id", e.id());
    o.put("name", e.name());
    o.put("method", e.method());
    o.put("sha256", e.sha256());
    o.put("uploadedAt", Instant.ofEpochMilli(e.uploadedAt()).toString());
    o.put("task", p.task().kind().specName());
    ArrayNode ag = o.putArray("agents");
    for (int j = 0; j < p.agents().size(); j++) {
      ObjectNode a = ag.addObject();
      a.put("name", p.agents().get(j).name());
      a.put("role", j == 0 ? "model" : "expert");
      a.put("fee", p.agents().get(j).fee());
    }
    ArrayNode f = o.putArray("features");
    p.features().columns().forEach(f::add);
    if (p.task().textColumn() != null) {
      o.put("textColumn", p.task().textColumn());
    }
    if (p.task().hasFrozenModel()) {
      o.put("frozenModel", p.task().model());
    }
    if (!p.task().classes().isEmpty()) {
      ArrayNode c = o.putArray("classes");
      p.task().classes().forEach(c::add);
    }
    o.put("rule", p.rule().spec());
    return o;
  }

  /**
   * Makes a stored policy the active one, atomically; the one it replaces is kept as the previous
   * (for {@link #rollback}).
   */
  public void activate(String id) {
    if (policy(id) == null) {
      throw ApiException.notFound("no policy " + Json.abbreviate(id) + "; upload it first");
    }
    change(
        tx -> {
          try (PreparedStatement ps =
              tx.connection()
                  .prepareStatement(
                      "UPDATE d4j_state SET previous_policy = CASE WHEN active_policy = ? THEN"
                          + " previous_policy ELSE active_policy END, active_policy = ?,"
                          + " activated_at = ? WHERE id = 1")) {
            ps.setString(1, id);
            ps.setString(2, id);
            ps.setLong(3, tx.now());
            ps.executeUpdate();
          }
          return null;
        });
    LOG.info("activated policy {}", id);
  }

  /** Switches back to the previous policy (which becomes the previous of it in turn). */
  public String rollback() {
    int n =
        change(
            tx -> {
              try (PreparedStatement ps =
                  tx.connection()
                      .prepareStatement(
                          "UPDATE d4j_state SET active_policy = previous_policy, previous_policy ="
                              + " active_policy, activated_at = ? WHERE id = 1 AND previous_policy"
                              + " IS NOT NULL")) {
                ps.setLong(1, tx.now());
                return ps.executeUpdate();
              }
            });
    if (n == 0) {
      throw ApiException.conflict("there is no previous policy to roll back to");
    }
    String id = state.get().active().id();
    LOG.info("rolled back to policy {}", id);
    return id;
  }

  /** Sets the shadow policy (null: none). Its decisions are logged, never served. */
  public void setShadow(String id) {
    if (id != null && policy(id) == null) {
      throw ApiException.notFound("no policy " + Json.abbreviate(id) + "; upload it first");
    }
    change(
        tx -> {
          try (PreparedStatement ps =
              tx.connection()
                  .prepareStatement("UPDATE d4j_state SET shadow_policy = ? WHERE id = 1")) {
            if (id == null) {
              ps.setNull(1, Types.VARCHAR);
            } else {
              ps.setString(1, id);
            }
            ps.executeUpdate();
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- keys

  private void bootstrapKeys() {
    String env = config.apiKey();
    if (env != null) {
      String hash = ApiKey.hash(env);
      if (!state.get().keys().containsKey(hash)) {
        change(
            tx -> {
              insertKey(
                  tx, hash, new ApiKey(ApiKey.newId(), Role.ADMIN, "DEFER4J_API_KEY", tx.now()));
              markBootstrapped(tx);
              return null;
            });
      }
      return;
    }
    String key = ApiKey.generate();
    boolean made =
        change(
            tx -> {
              if (!markBootstrapped(tx)) {
                return false;
              }
              insertKey(
                  tx,
                  ApiKey.hash(key),
                  new ApiKey(ApiKey.newId(), Role.ADMIN, "first admin key", tx.now()));
              return true;
            });
    if (made) {
      generatedAdminKey = key;
    }
  }

  private static boolean markBootstrapped(Tx tx) throws SQLException {
    try (PreparedStatement ps =
        tx.connection()
            .prepareStatement(
                "UPDATE d4j_state SET keys_bootstrapped = 1 WHERE id = 1 AND keys_bootstrapped = 0")) {
      return ps.executeUpdate() == 1;
    }
  }

  private static void insertKey(Tx tx, String hash, ApiKey k) throws SQLException {
    try (PreparedStatement ps =
        tx.connection()
            .prepareStatement(
                "INSERT INTO d4j_api_key (id, hash, role, name, created_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING")) {
      ps.setString(1, k.id());
      ps.setString(2, hash);
      ps.setString(3, k.role().name());
      ps.setString(4, k.name());
      ps.setLong(5, k.createdAt());
      ps.executeUpdate();
    }
  }

  /** The key a bearer token is, or null when it is unknown or revoked. */
  public ApiKey authenticate(String token) {
    if (token == null || token.isEmpty() || token.length() > 200) {
      return null;
    }
    return state.get().keys().get(ApiKey.hash(token));
  }

  /**
   * Makes a key.
   *
   * @return the key's text (shown once) and its record
   */
  public Map.Entry<String, ApiKey> createKey(Role role, String name) {
    String key = ApiKey.generate();
    ApiKey k = new ApiKey(ApiKey.newId(), role, name == null ? "" : name, clock.millis());
    change(
        tx -> {
          insertKey(tx, ApiKey.hash(key), k);
          return null;
        });
    return Map.entry(key, k);
  }

  /** Every key that is not revoked. */
  public List<ApiKey> keys() {
    List<ApiKey> out = new ArrayList<>(state.get().keys().values());
    out.sort((a, b) -> Long.compare(a.createdAt(), b.createdAt()));
    return out;
  }

  /** Revokes a key; false when there is no such (unrevoked) key. */
  public boolean revokeKey(String id) {
    return change(
        tx -> {
          try (PreparedStatement ps =
              tx.connection()
                  .prepareStatement(
                      "UPDATE d4j_api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            ps.setLong(1, tx.now());
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
          }
        });
  }

  // ---------------------------------------------------------------- routing

  /**
   * Routes one case.
   *
   * @throws ApiException 400 for a bad input; 503 when no agent may be asked; 429 when every agent
   *     that may be asked is at its capacity or share (with the seconds until a period ends)
   */
  public RouteResult route(RouteCase c) {
    RouteResult r = route(List.of(c), RouteOptions.DEFAULT, true).get(0);
    if (r.error() != null) {
      throw r.error();
    }
    return r;
  }

  /**
   * Routes a batch: every case is validated first (a bad one fails the whole batch with a 400
   * naming it), then every case gets a decision or its own error (no agent, budgets used up).
   */
  public List<RouteResult> route(List<RouteCase> cases) {
    return route(cases, RouteOptions.DEFAULT, false);
  }

  /**
   * How a route call differs from a plain one.
   *
   * @param source what asked ({@code route}, {@code chat}), stored with the decision
   * @param unavailable agents that may not be asked for this call, with why
   */
  public record RouteOptions(String source, Map<String, String> unavailable) {
    static final RouteOptions DEFAULT = new RouteOptions("route", Map.of());
  }

  /**
   * A case decided outside the store's transaction. The stored row's text that does not depend on
   * the budgets (inputs, available agents, scores) is written here, on the request's thread, so
   * that the single writer thread only binds it.
   */
  private record Prepared(
      RouteCase c,
      List<String> available,
      Decision d,
      int[] ranking,
      String[] detail,
      String shadowAgent,
      ApiException error,
      String inputJson,
      String availableJson,
      String scoresJson) {}

  List<RouteResult> route(List<RouteCase> cases, RouteOptions opts, boolean single) {
    Snapshot s = state.get();
    if (s.active() == null) {
      throw new ApiException(503, "no_policy", "no policy is active; upload and activate one");
    }
    PolicyEntry pe = s.active();
    LearnedPolicy p = pe.policy();
    Instant now = clock.instant();
    List<Prepared> prepared = new ArrayList<>(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      String where = single ? "" : "cases[" + i + "]";
      prepared.add(prepare(s, p, cases.get(i), where, now, opts));
    }
    List<RouteResult> results = Store.await(store.submit(new RouteOp(s, pe, prepared, opts)));
    for (RouteResult r : results) {
      metrics.decided(r);
    }
    return results;
  }

  private Prepared prepare(
      Snapshot s, LearnedPolicy p, RouteCase c, String where, Instant now, RouteOptions opts) {
    Map<String, Object> input = Inputs.assemble(p, c, where);
    String[] names = p.agents().names();
    String[] detail = new String[names.length];
    List<String> available = new ArrayList<>();
    if (c.available() != null) {
      for (String a : c.available()) {
        if (!p.agents().contains(a)) {
          throw ApiException.badRequest(
              Json.path(where, "available")
                  + ": '"
                  + a
                  + "' is not an agent of the active policy; its agents are "
                  + Arrays.toString(names));
        }
      }
    }
    long nowMs = now.toEpochMilli();
    for (int j = 0; j < names.length; j++) {
      String a = names[j];
      String why = null;
      if (c.available() != null && !c.available().contains(a)) {
        why = "not among the request's available agents";
      }
      if (why == null) {
        why = opts.unavailable().get(a);
      }
      if (why == null) {
        why = s.spec(a).unavailableBecause(now);
      }
      if (why == null) {
        Long until = cooldown.get(a);
        if (until != null && until > nowMs) {
          why = "rate-limited by its upstream until " + Instant.ofEpochMilli(until);
        }
      }
      if (why == null) {
        available.add(a);
      } else {
        detail[j] = why;
      }
    }
    if (available.isEmpty()) {
      return new Prepared(
          c,
          available,
          null,
          null,
          detail,
          null,
          new ApiException(
              503,
              "no_agent_available",
              "no agent may be asked for this case now: " + reasons(names, detail)),
          null,
          null,
          null);
    }
    Decision d;
    try {
      d = p.decide(input, available);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest((where.isEmpty() ? "" : where + ": ") + e.getMessage());
    }
    int[] ranking = rank(d, p);
    String shadowAgent = null;
    if (s.shadow() != null) {
      shadowAgent = shadow(s.shadow().policy(), c, available);
    }
    ObjectNode scores = Json.object();
    double[] sc = d.scores();
    for (int j = 0; j < names.length; j++) {
      scores.set(names[j], Json.num(sc[j]));
    }
    return new Prepared(
        c,
        available,
        d,
        ranking,
        detail,
        shadowAgent,
        null,
        Json.write(input),
        Json.write(available),
        Json.write(scores));
  }

  private static String reasons(String[] names, String[] detail) {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < names.length; j++) {
      out.add(names[j] + " " + detail[j]);
    }
    return String.join("; ", out);
  }

  private static String shadow(LearnedPolicy sp, RouteCase c, List<String> available) {
    try {
      List<String> av = new ArrayList<>();
      for (String a : available) {
        if (sp.agents().contains(a)) {
          av.add(a);
        }
      }
      if (av.isEmpty()) {
        return null;
      }
      return sp.decide(Inputs.assemble(sp, c, ""), av).agent();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The order in which the agents are tried: the policy's choice (or committee) first, then the
   * other available agents by preference cost u_j = −s_j (+θ for experts under a threshold rule),
   * as core's {@code CapacityRouting} ranks them; by score when the rule is neither.
   */
  static int[] rank(Decision d, LearnedPolicy p) {
    int a = d.agentNames().size();
    double[] u;
    try {
      u = CapacityRouting.preferenceCosts(d, p.rule());
    } catch (IllegalArgumentException e) {
      u = new double[a];
      double[] sc = d.scores();
      for (int j = 0; j < a; j++) {
        u[j] = d.reasons().get(j) == Decision.Reason.UNAVAILABLE ? Double.NaN : -sc[j];
      }
    }
    List<Integer> order = new ArrayList<>();
    for (String name : d.chosen()) {
      order.add(d.agentNames().indexOf(name));
    }
    List<Integer> rest = new ArrayList<>();
    for (int j = 0; j < a; j++) {
      if (!order.contains(j) && !Double.isNaN(u[j])) {
        rest.add(j);
      }
    }
    double[] uu = u;
    rest.sort(
        (x, y) -> {
          int c = Double.compare(uu[x], uu[y]);
          return c != 0 ? c : Integer.compare(x, y);
        });
    order.addAll(rest);
    int[] out = new int[order.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = order.get(i);
    }
    return out;
  }

  /** The batch of decisions a route call writes: budgets reserved and rows inserted in one go. */
  private final class RouteOp implements WriteOp<List<RouteResult>> {
    private final Snapshot snapshot;
    private final PolicyEntry entry;
    private final List<Prepared> cases;
    private final RouteOptions opts;
    private final List<String> agents;

    RouteOp(Snapshot snapshot, PolicyEntry entry, List<Prepared> cases, RouteOptions opts) {
      this.snapshot = snapshot;
      this.entry = entry;
      this.cases = cases;
      this.opts = opts;
      Set<String> all = new LinkedHashSet<>(Arrays.asList(entry.policy().agents().names()));
      all.addAll(snapshot.registry().keySet());
      this.agents = List.copyOf(all);
    }

    @Override
    public void prepare(Connection c, Dialect dialect, long now) throws SQLException {
      Set<Counters.Key> keys = Counters.keys(agents, snapshot.registry(), now);
      keys.removeAll(knownCounters);
      if (!keys.isEmpty()) {
        Counters.ensure(c, keys);
        knownCounters.addAll(keys);
      }
    }

    @Override
    public List<RouteResult> apply(Tx tx) throws SQLException {
      Map<String, ExpertSpec> registry = freshRegistry(tx, snapshot);
      Counters counters = Counters.of(tx, agents, registry, knownCounters);
      DecisionRows rows = tx.attachment(DecisionRows.class, DecisionRows::new);
      if (!rows.registered) {
        rows.registered = true;
        tx.beforeCommit(() -> rows.flush(tx));
      }
      LearnedPolicy p = entry.policy();
      String[] names = p.agents().names();
      List<RouteResult> out = new ArrayList<>(cases.size());
      for (Prepared c : cases) {
        out.add(decide(tx, counters, rows, p, names, c));
      }
      return out;
    }

    private RouteResult decide(
        Tx tx, Counters counters, DecisionRows rows, LearnedPolicy p, String[] names, Prepared c) {
      int a = names.length;
      String[] status = new String[a];
      String[] detail = c.detail().clone();
      if (c.error() != null) {
        Arrays.fill(status, "UNAVAILABLE");
        return new RouteResult(
            null,
            entry.id(),
            c.c().caseId(),
            null,
            List.of(),
            false,
            List.of(names),
            new double[a],
            new double[a],
            status,
            detail,
            null,
            null,
            null,
            tx.now(),
            c.error(),
            List.of());
      }
      Decision d = c.d();
      for (int j = 0; j < a; j++) {
        status[j] = d.reasons().get(j).name();
        if (status[j].equals("CHOSEN")) {
          status[j] = "LOWER_SCORE";
        }
      }
      List<String> served = new ArrayList<>();
      boolean committee = d.kind() == Decision.Kind.COMMITTEE;
      long retry = Long.MAX_VALUE;
      int members = committee ? d.chosen().size() : 1;
      for (int r = 0; r < c.ranking().length; r++) {
        if (!served.isEmpty() && r >= members) {
          break;
        }
        String name = names[c.ranking()[r]];
        Counters.Refusal why = counters.refusal(name);
        if (why == null) {
          served.add(name);
        } else {
          int j = c.ranking()[r];
          status[j] = why.name();
          ExpertSpec e = counters.spec(name);
          detail[j] =
              why == Counters.Refusal.OVER_CAPACITY
                  ? "capacity "
                      + e.capacity()
                      + " per "
                      + e.period()
                      + " used up until "
                      + Instant.ofEpochSecond(counters.periodStart(name) + e.periodSeconds())
                  : "share target "
                      + e.targetShare()
                      + (e.period() == null ? "" : " per " + e.period())
                      + " reached";
          retry = Math.min(retry, counters.secondsLeft(name));
        }
      }
      double[] scores = d.scores();
      double[] expected = d.expectedCosts();
      for (int j = 0; j < a; j++) {
        ExpertSpec e = counters.spec(names[j]);
        if (e.fee() != null && Double.isFinite(expected[j])) {
          expected[j] += e.fee() - p.agents().get(j).fee();
        }
      }
      if (served.isEmpty()) {
        ApiException err =
            new ApiException(
                429,
                "capacity_exhausted",
                "every agent that may be asked for this case is at its capacity or share target: "
                    + reasons(names, detail),
                retry == Long.MAX_VALUE ? 60 : retry);
        return new RouteResult(
            null,
            entry.id(),
            c.c().caseId(),
            null,
            List.of(),
            true,
            List.of(names),
            scores,
            expected,
            status,
            detail,
            null,
            null,
            null,
            tx.now(),
            err,
            List.of());
      }
      for (String sname : served) {
        status[p.agents().indexOf(sname)] = "CHOSEN";
      }
      List<Counters.Key> inc = counters.count(served);
      boolean fallback = d.fallback() || !served.contains(d.agent());
      Object prediction = null;
      if (d.predictedClass() >= 0) {
        prediction = p.task().classes().get(d.predictedClass());
      } else if (!Double.isNaN(d.predictedValue())) {
        prediction = d.predictedValue();
      }
      String kind = committee && served.size() > 1 ? "committee" : "agent";
      RouteResult res =
          new RouteResult(
              DecisionIds.next(tx.now()),
              entry.id(),
              c.c().caseId(),
              kind,
              List.copyOf(served),
              fallback,
              List.of(names),
              scores,
              expected,
              status,
              detail,
              prediction,
              snapshot.shadow() == null ? null : snapshot.shadow().id(),
              c.shadowAgent(),
              tx.now(),
              null,
              inc);
      rows.add(res, c, opts.source());
      return res;
    }
  }

  /** The registry as the store has it now (reread when another process changed it). */
  private Map<String, ExpertSpec> freshRegistry(Tx tx, Snapshot s) throws SQLException {
    try (ResultSet rs = tx.prepare("SELECT version FROM d4j_state WHERE id = 1").executeQuery()) {
      if (rs.next() && rs.getLong(1) == s.version()) {
        return s.registry();
      }
    }
    return readRegistry(tx.connection());
  }

  /** Decision rows of one transaction, inserted in one JDBC batch before the commit. */
  private static final class DecisionRows {
    private final List<Object[]> rows = new ArrayList<>();
    boolean registered;

    void add(RouteResult r, Prepared c, String source) {
      ObjectNode expected = Json.object();
      ObjectNode reasons = Json.object();
      for (int j = 0; j < r.agents().size(); j++) {
        String n = r.agents().get(j);
        expected.set(n, Json.num(r.expectedCosts()[j]));
        reasons.put(n, r.status()[j]);
      }
      String prediction = r.prediction() == null ? null : Json.write(r.prediction());
      rows.add(
          new Object[] {
            r.decisionId(),
            r.createdAt(),
            r.policyId(),
            r.agent(),
            Json.write(r.chosen()),
            r.kind(),
            r.fallback() ? 1 : 0,
            r.caseId(),
            source,
            "served",
            c.inputJson(),
            c.availableJson(),
            c.scoresJson(),
            Json.write(expected),
            Json.write(reasons),
            prediction,
            r.shadowPolicyId(),
            r.shadowAgent()
          });
    }

    void flush(Tx tx) throws SQLException {
      if (rows.isEmpty()) {
        return;
      }
      PreparedStatement ps =
          tx.prepare(
              "INSERT INTO d4j_decision (id, created_at, policy_id, agent, chosen, kind, fallback,"
                  + " case_id, source, status, input, available, scores, expected_costs, reasons,"
                  + " prediction, shadow_policy_id, shadow_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                  + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      for (Object[] row : rows) {
        for (int k = 0; k < row.length; k++) {
          Object v = row[k];
          if (v == null) {
            ps.setNull(k + 1, Types.VARCHAR);
          } else if (v instanceof Long l) {
            ps.setLong(k + 1, l);
          } else if (v instanceof Integer n) {
            ps.setInt(k + 1, n);
          } else {
            ps.setString(k + 1, v.toString());
          }
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Withdraws a decision whose agent could not serve (its upstream refused or failed): the decision
   * is marked and its budget counts are released.
   */
  void withdraw(RouteResult r, String status, long cooldownUntil) {
    if (cooldownUntil > 0) {
      cooldown.merge(r.agent(), cooldownUntil, Math::max);
    }
    store.write(
        tx -> {
          setStatus(tx, r.decisionId(), status);
          Counters.release(tx, r.increments());
          return null;
        });
  }

  /** Marks a served decision's status (for instance the upstream's error). */
  void markStatus(String decisionId, String status) {
    store.write(
        tx -> {
          setStatus(tx, decisionId, status);
          return null;
        });
  }

  private static void setStatus(Tx tx, String decisionId, String status) throws SQLException {
    PreparedStatement ps = tx.prepare("UPDATE d4j_decision SET status = ? WHERE id = ?");
    ps.setString(1, status);
    ps.setString(2, decisionId);
    ps.executeUpdate();
  }

  // ---------------------------------------------------------------- outcomes

  /** What happened to a posted outcome. */
  public enum OutcomeStatus {
    /** Stored now (201). */
    CREATED,
    /** The same outcome was stored before (200; stored once). */
    DUPLICATE
  }

  /** A decision as stored, for outcomes and {@code GET /v1/decisions/{id}}. */
  record StoredDecision(
      String id,
      String policyId,
      String agent,
      List<String> chosen,
      String kind,
      String prediction,
      long createdAt,
      ObjectNode json) {}

  /** A stored decision with its outcome, as JSON, or 404. */
  public ObjectNode decisionJson(String id) {
    StoredDecision d = readDecision(id);
    if (d == null) {
      throw ApiException.notFound("no decision " + Json.abbreviate(id));
    }
    ObjectNode o = d.json();
    store.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT body, cost, correct, created_at FROM d4j_outcome WHERE decision_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                ObjectNode out = (ObjectNode) Json.read(rs.getString(1));
                double cost = rs.getDouble(2);
                out.set("realisedCost", rs.wasNull() ? Json.num(Double.NaN) : Json.num(cost));
                int correct = rs.getInt(3);
                if (rs.wasNull()) {
                  out.putNull("correct");
                } else {
                  out.put("correct", correct == 1);
                }
                out.put("createdAt", Instant.ofEpochMilli(rs.getLong(4)).toString());
                o.set("outcome", out);
              } else {
                o.putNull("outcome");
              }
            }
          }
          return null;
        });
    return o;
  }

  private StoredDecision readDecision(String id) {
    return store.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, policy_id, agent, chosen, kind, prediction, created_at, fallback,"
                      + " case_id, source, status, input, available, scores, expected_costs,"
                      + " reasons, shadow_policy_id, shadow_agent FROM d4j_decision WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return null;
              }
              List<String> chosen = new ArrayList<>();
              Json.read(rs.getString(4)).forEach(n -> chosen.add(n.asText()));
              ObjectNode o = Json.object();
              o.put("id", rs.getString(1));
              o.put("policy", rs.getString(2));
              o.put("agent", rs.getString(3));
              o.set("chosen", Json.read(rs.getString(4)));
              o.put("kind", rs.getString(5));
              String pred = rs.getString(6);
              if (pred != null) {
                o.set("prediction", Json.read(pred));
              }
              o.put("createdAt", Instant.ofEpochMilli(rs.getLong(7)).toString());
              o.put("fallback", rs.getInt(8) == 1);
              o.put("caseId", rs.getString(9));
              o.put("source", rs.getString(10));
              o.put("status", rs.getString(11));
              o.set("input", Json.read(rs.getString(12)));
              o.set("available", Json.read(rs.getString(13)));
              o.set("scores", Json.read(rs.getString(14)));
              o.set("expectedCosts", Json.read(rs.getString(15)));
              o.set("reasons", Json.read(rs.getString(16)));
              if (rs.getString(17) != null) {
                ObjectNode sh = o.putObject("shadow");
                sh.put("policy", rs.getString(17));
                sh.put("agent", rs.getString(18));
              }
              return new StoredDecision(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  chosen,
                  rs.getString(5),
                  pred,
                  rs.getLong(7),
                  o);
            }
          }
        });
  }

  /**
   * Stores the outcome of a decision: the truth and/or the agents' answers or costs. Idempotent:
   * the same outcome again is stored once ({@link OutcomeStatus#DUPLICATE}).
   *
   * @param body the outcome ({@code decisionId}, {@code truth}, {@code answers}, {@code costs})
   * @throws ApiException 400 for a bad outcome, 404 for an unknown decision, 409 when another
   *     outcome is stored for it
   */
  public OutcomeStatus recordOutcome(ObjectNode body) {
    Object r = recordOutcomes(List.of(body), true).get(0);
    if (r instanceof ApiException e) {
      throw e;
    }
    return (OutcomeStatus) r;
  }

  /**
   * Stores several outcomes (each committed on its own; they share the writer's group commits).
   *
   * @return per outcome its {@link OutcomeStatus} or the {@link ApiException} that refused it
   */
  public List<Object> recordOutcomes(List<ObjectNode> bodies) {
    return recordOutcomes(bodies, false);
  }

  private record PendingOutcome(
      String agent,
      Outcomes.Realised real,
      CompletableFuture<OutcomeStatus> future,
      String where) {}

  private List<Object> recordOutcomes(List<ObjectNode> bodies, boolean single) {
    List<Object> out = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      String where = single ? "" : "outcomes[" + i + "]";
      try {
        out.add(submitOutcome(bodies.get(i), where));
      } catch (ApiException e) {
        out.add(e);
      }
    }
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i) instanceof PendingOutcome po) {
        OutcomeStatus st = Store.await(po.future());
        if (st == null) {
          out.set(
              i,
              ApiException.conflict(
                  (po.where().isEmpty() ? "" : po.where() + ": ")
                      + "the decision already has a different outcome; an outcome cannot be"
                      + " changed"));
          continue;
        }
        if (st == OutcomeStatus.CREATED) {
          metrics.outcome(po.agent(), po.real());
        }
        out.set(i, st);
      }
    }
    return out;
  }

  private PendingOutcome submitOutcome(ObjectNode body, String where) {
    Json.onlyKeys(body, where, Outcomes.FIELDS);
    String id = Json.string(body, "decisionId", where);
    StoredDecision d = id.length() > 100 ? null : readDecision(id);
    if (d == null) {
      throw ApiException.notFound(
          (where.isEmpty() ? "" : where + ": ") + "no decision " + Json.abbreviate(id));
    }
    PolicyEntry pe = policy(d.policyId());
    if (pe == null) {
      throw new IllegalStateException(
          "decision " + id + " names an unknown policy " + d.policyId());
    }
    TaskSpec task = pe.policy().task();
    Outcomes.Parsed o = Outcomes.parse(body, where, task);
    Snapshot s = state.get();
    Outcomes.Realised real =
        Outcomes.realise(o, task, d.chosen(), d.kind(), d.prediction(), s::spec);
    CompletableFuture<OutcomeStatus> f =
        store.submit(
            tx -> {
              PreparedStatement ins =
                  tx.prepare(
                      "INSERT INTO d4j_outcome (decision_id, created_at, body, cost, correct)"
                          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
              ins.setString(1, id);
              ins.setLong(2, tx.now());
              ins.setString(3, o.canonical());
              if (Double.isNaN(real.cost())) {
                ins.setNull(4, Types.DOUBLE);
              } else {
                ins.setDouble(4, real.cost());
              }
              if (real.correct() == null) {
                ins.setNull(5, Types.INTEGER);
              } else {
                ins.setInt(5, real.correct() ? 1 : 0);
              }
              if (ins.executeUpdate() == 1) {
                return OutcomeStatus.CREATED;
              }
              PreparedStatement sel =
                  tx.prepare("SELECT body FROM d4j_outcome WHERE decision_id = ?");
              sel.setString(1, id);
              try (ResultSet rs = sel.executeQuery()) {
                rs.next();
                return rs.getString(1).equals(o.canonical()) ? OutcomeStatus.DUPLICATE : null;
              }
            });
    return new PendingOutcome(d.agent(), real, f, where);
  }

  // ---------------------------------------------------------------- dashboard

  /** The dashboard's JSON ({@code GET /v1/dashboard}; the contract is in docs/server.md). */
  public ObjectNode dashboard() {
    Snapshot s = state.get();
    long now = clock.millis();
    long nowS = Math.floorDiv(now, 1000);
    ObjectNode out = Json.object();
    ObjectNode pol = out.putObject("policy");
    LearnedPolicy p = s.active() == null ? null : s.active().policy();
    if (s.active() != null) {
      pol.put("id", s.active().id());
      pol.put("method", s.active().method());
      pol.put("activatedAt", Instant.ofEpochMilli(s.activatedAt()).toString());
    }
    List<String> names = p == null ? List.of() : Arrays.asList(p.agents().names());
    long minute = Counters.start(Counters.MINUTE, nowS);
    long first = minute - 59 * Counters.MINUTE;
    Map<Counters.Key, Long> counters = readCounters(names, s.registry(), now);
    Map<Long, Map<String, Long>> minutes = new TreeMap<>();
    store.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT agent, period_start, used FROM d4j_counter WHERE period_seconds = ? AND"
                      + " period_start >= ? AND agent <> ?")) {
            ps.setLong(1, Counters.MINUTE);
            ps.setLong(2, first);
            ps.setString(3, Counters.ALL);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if (rs.getLong(3) > 0) {
                  minutes
                      .computeIfAbsent(rs.getLong(2), k -> new TreeMap<>())
                      .put(rs.getString(1), rs.getLong(3));
                }
              }
            }
          }
          return null;
        });
    ArrayNode agents = out.putArray("agents");
    Map<String, Double> calibrated = new HashMap<>();
    if (p != null && p.rule() instanceof CalibratedThreshold ct) {
      calibrated.putAll(ct.target().maxShare());
    }
    Instant nowI = Instant.ofEpochMilli(now);
    for (int j = 0; j < names.size(); j++) {
      String name = names.get(j);
      ExpertSpec e = s.spec(name);
      ObjectNode a = agents.addObject();
      a.put("name", name);
      a.put("fee", e.fee() != null ? e.fee() : p.agents().get(j).fee());
      if (e.capacity() == null) {
        a.putNull("capacity");
      } else {
        a.put("capacity", e.capacity().intValue());
      }
      if (e.period() == null) {
        a.putNull("period");
      } else {
        a.put("period", e.period().toString());
      }
      long ps = e.periodSeconds();
      long start = Counters.start(ps, nowS);
      long used =
          e.period() == null ? 0 : counters.getOrDefault(new Counters.Key(name, ps, start), 0L);
      a.put("used", used);
      Long until = cooldown.get(name);
      a.put("available", e.availableAt(nowI) && (until == null || until <= now));
      a.put("decisions", counters.getOrDefault(new Counters.Key(name, 0, 0), 0L));
      Double target = e.targetShare() != null ? e.targetShare() : calibrated.get(name);
      if (target == null) {
        a.putNull("targetShare");
      } else {
        a.put("targetShare", target.doubleValue());
      }
      long mine = counters.getOrDefault(new Counters.Key(name, ps, start), 0L);
      long total = counters.getOrDefault(new Counters.Key(Counters.ALL, ps, start), 0L);
      a.put("realisedShare", total == 0 ? 0.0 : (double) mine / total);
    }
    ArrayNode alloc = out.putArray("allocation");
    for (long t = first; t <= minute; t += Counters.MINUTE) {
      ObjectNode b = alloc.addObject();
      b.put("start", Instant.ofEpochSecond(t).toString());
      ObjectNode counts = b.putObject("counts");
      Map<String, Long> m = minutes.getOrDefault(t, Map.of());
      m.forEach(counts::put);
    }
    ObjectNode live = out.putObject("live");
    store.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT COUNT(*), AVG(CAST(correct AS DOUBLE PRECISION)), AVG(cost) FROM"
                          + " d4j_outcome");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            live.put("outcomes", rs.getLong(1));
            double acc = rs.getDouble(2);
            live.set("accuracy", rs.wasNull() ? Json.num(Double.NaN) : Json.num(acc));
            double cost = rs.getDouble(3);
            live.set("meanCost", rs.wasNull() ? Json.num(Double.NaN) : Json.num(cost));
          }
          return null;
        });
    return out;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Waits for queued writes, then closes the store. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    syncThread.interrupt();
    try {
      syncThread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  /** Submits {@code op} to the store (for the server's own writes). */
  <T> CompletableFuture<T> submit(WriteOp<T> op) {
    return store.submit(op);
  }

  /** The bundled demo policy's artifact bytes. */
  public static byte[] demoPolicyBytes() throws IOException {
    try (InputStream in = Router.class.getResourceAsStream(DEMO_POLICY)) {
      if (in == null) {
        throw new IOException("the bundled demo policy is missing");
      }
      return in.readAllBytes();
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static Map<String, Object> copy(Map<String, Object> m) {
    return new LinkedHashMap<>(m);
  }

  static JsonNode nodeOf(Object o) {
    return Json.MAPPER.valueToTree(o);
  }
}
