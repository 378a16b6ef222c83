package org.defer4j.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.defer4j.server.store.RetryableConflict;
import org.defer4j.server.store.Tx;

/**
 * The decision counters of one write transaction, and the live budget rule on them.
 *
 * <p>Rows of {@code d4j_counter} count decisions per agent ({@code *}: all decisions) and period:
 * all time (period 0), the current minute (60 s, for the dashboard) and the current period of each
 * period that the registry names (epoch-aligned). On first use in a transaction the rows are read
 * and locked ({@code SELECT ... FOR UPDATE} in a fixed order on PostgreSQL; the write lock of
 * {@code BEGIN IMMEDIATE} on SQLite), so no other transaction, in this process or another, can
 * reserve on them until this one commits: checking a capacity and reserving it is one atomic step
 * in the database. The rule is the hard-cap form of core's {@code StreamingCapacity} (prices 0): in
 * the policy's preference order, the first available agent whose capacity for its current period is
 * not used up and whose share stays within its target serves the case. The new values are written
 * just before the commit by updates guarded on the values read (a mismatch rolls the batch back and
 * runs it again).
 *
 * <p>Rows are never deleted, so a process inserts a key's row once (in auto-commit, before the
 * transaction that locks it) and from then on only reads and locks it; a row found missing anyway
 * is inserted again when the batch runs again.
 */
final class Counters {
  /** The agent name of the all-decisions counter. */
  static final String ALL = "*";

  /** The dashboard's minute. */
  static final long MINUTE = 60;

  /** A counter row's key. */
  record Key(String agent, long periodSeconds, long periodStart) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = agent.compareTo(o.agent);
      if (c != 0) {
        return c;
      }
      c = Long.compare(periodSeconds, o.periodSeconds);
      return c != 0 ? c : Long.compare(periodStart, o.periodStart);
    }
  }

  /** Why an agent could not take a case. */
  enum Refusal {
    OVER_CAPACITY,
    OVER_SHARE
  }

  private final Map<String, ExpertSpec> registry;
  private final long nowSeconds;
  private final Map<Key, Long> read = new HashMap<>();
  private final Map<Key, Long> current = new HashMap<>();
  private final Set<Long> periods = new TreeSet<>();

  private Counters(Map<String, ExpertSpec> registry, long nowMillis) {
    this.registry = registry;
    this.nowSeconds = Math.floorDiv(nowMillis, 1000);
    periods.add(0L);
    periods.add(MINUTE);
    for (ExpertSpec e : registry.values()) {
      if (e.period() != null) {
        periods.add(e.periodSeconds());
      }
    }
  }

  /** The start of the period of {@code seconds} that holds the time {@code nowSeconds}. */
  static long start(long seconds, long nowSeconds) {
    return seconds == 0 ? 0 : Math.floorDiv(nowSeconds, seconds) * seconds;
  }

  /** Every key the counters of {@code agents} need at a time, sorted. */
  static TreeSet<Key> keys(Collection<String> agents, Map<String, ExpertSpec> registry, long now) {
    Counters c = new Counters(registry, now);
    TreeSet<Key> out = new TreeSet<>();
    List<String> names = new ArrayList<>(agents);
    names.add(ALL);
    for (String a : names) {
      for (long p : c.periods) {
        out.add(new Key(a, p, start(p, c.nowSeconds)));
      }
    }
    return out;
  }

  private static final String ENSURE =
      "INSERT INTO d4j_counter (agent, period_seconds, period_start, used)"
          + " VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING";

  private static final String FLUSH =
      "UPDATE d4j_counter SET used = ? WHERE agent = ? AND period_seconds = ?"
          + " AND period_start = ? AND used = ?";

  private static final String RELEASE =
      "UPDATE d4j_counter SET used = used - 1 WHERE agent = ? AND period_seconds = ?"
          + " AND period_start = ? AND used > 0";

  /** Inserts missing rows (auto-commit, before the transaction that locks them). */
  static void ensure(Connection c, Collection<Key> keys) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ENSURE)) {
      ensure(ps, keys);
    }
  }

  private static void ensure(PreparedStatement ps, Collection<Key> keys) throws SQLException {
    for (Key k : keys) {
      ps.setString(1, k.agent());
      ps.setLong(2, k.periodSeconds());
      ps.setLong(3, k.periodStart());
      ps.addBatch();
    }
    ps.executeBatch();
  }

  /**
   * The counters of the transaction, read and locked on first use.
   *
   * @param agents every agent the transaction may count
   * @param existing keys whose rows are known to be committed (counter rows are never deleted):
   *     they are not inserted again; a key of it whose row is missing is removed from it (and the
   *     batch runs again)
   */
  static Counters of(
      Tx tx, Collection<String> agents, Map<String, ExpertSpec> registry, Set<Key> existing)
      throws SQLException {
    Counters c = tx.attachment(Counters.class, () -> new Counters(Map.copyOf(registry), tx.now()));
    if (c.read.isEmpty() || !c.read.keySet().containsAll(keys(agents, c.registry, tx.now()))) {
      c.load(tx, agents, existing);
    }
    return c;
  }

  private void load(Tx tx, Collection<String> agents, Set<Key> existing) throws SQLException {
    boolean first = read.isEmpty();
    TreeSet<Key> wanted = keys(agents, registry, nowSeconds * 1000);
    wanted.removeAll(read.keySet());
    if (wanted.isEmpty()) {
      return;
    }
    // Rows that prepare() did not create (an agent or period new to this batch) are created here.
    List<Key> missing = new ArrayList<>();
    for (Key k : wanted) {
      if (!existing.contains(k)) {
        missing.add(k);
      }
    }
    if (!missing.isEmpty()) {
      ensure(tx.prepare(ENSURE), missing);
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT agent, period_seconds, period_start, used FROM d4j_counter WHERE ");
    List<Long> args = new ArrayList<>();
    int i = 0;
    for (long p : periods) {
      sql.append(i++ == 0 ? "" : " OR ").append("(period_seconds = ? AND period_start = ?)");
      args.add(p);
      args.add(start(p, nowSeconds));
    }
    sql.append(" ORDER BY agent, period_seconds, period_start").append(tx.dialect().forUpdate());
    PreparedStatement ps = tx.prepare(sql.toString());
    for (int k = 0; k < args.size(); k++) {
      ps.setLong(k + 1, args.get(k));
    }
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Key k = new Key(rs.getString(1), rs.getLong(2), rs.getLong(3));
        if (first || !read.containsKey(k)) {
          read.put(k, rs.getLong(4));
          current.put(k, rs.getLong(4));
        }
      }
    }
    List<Key> vanished = new ArrayList<>();
    for (Key k : wanted) {
      if (!read.containsKey(k)) {
        vanished.add(k);
      }
    }
    if (!vanished.isEmpty()) {
      // The batch runs again; its prepare() inserts these rows before the transaction.
      vanished.forEach(existing::remove);
      throw new RetryableConflict("counter rows " + vanished + " vanished");
    }
    if (first) {
      tx.beforeCommit(() -> flush(tx));
    }
  }

  private long get(String agent, long period) {
    Long v = current.get(new Key(agent, period, start(period, nowSeconds)));
    return v == null ? 0 : v;
  }

  private void add(String agent, long period, long delta) {
    Key k = new Key(agent, period, start(period, nowSeconds));
    current.merge(k, delta, Long::sum);
  }

  /** The registry entry of an agent (defaults when it has none). */
  ExpertSpec spec(String agent) {
    ExpertSpec e = registry.get(agent);
    return e == null ? ExpertSpec.defaults(agent) : e;
  }

  /** Why {@code agent} cannot take one more case now, or null when it can. */
  Refusal refusal(String agent) {
    ExpertSpec e = spec(agent);
    if (e.capacity() != null && get(agent, e.periodSeconds()) >= e.capacity()) {
      return Refusal.OVER_CAPACITY;
    }
    if (e.targetShare() != null) {
      long p = e.periodSeconds();
      long used = get(agent, p);
      long total = get(ALL, p) + 1;
      // At most ceil(share x total) of the decisions of the period: used < share x total.
      if (!(used < e.targetShare() * total)) {
        return Refusal.OVER_SHARE;
      }
    }
    return null;
  }

  /** Seconds until the current period of {@code agent}'s budget ends (at least 1). */
  long secondsLeft(String agent) {
    long p = spec(agent).periodSeconds();
    if (p == 0) {
      return 60;
    }
    return Math.max(1, start(p, nowSeconds) + p - nowSeconds);
  }

  /** The period start of {@code agent}'s budget now (0 without a period). */
  long periodStart(String agent) {
    return start(spec(agent).periodSeconds(), nowSeconds);
  }

  /** The used count of {@code agent} in its current period (all time without one). */
  long used(String agent) {
    return get(agent, spec(agent).periodSeconds());
  }

  /**
   * Counts one decision served by {@code served} (one agent, or a committee's members).
   *
   * @return the keys incremented, to release them if the decision is withdrawn
   */
  List<Key> count(Collection<String> served) {
    List<Key> out = new ArrayList<>();
    for (long p : periods) {
      Key k = new Key(ALL, p, start(p, nowSeconds));
      add(ALL, p, 1);
      out.add(k);
    }
    for (String a : served) {
      ExpertSpec e = spec(a);
      Set<Long> ps = new TreeSet<>(List.of(0L, MINUTE));
      if (e.period() != null) {
        ps.add(e.periodSeconds());
      }
      for (long p : ps) {
        add(a, p, 1);
        out.add(new Key(a, p, start(p, nowSeconds)));
      }
    }
    return out;
  }

  private void flush(Tx tx) throws SQLException {
    TreeMap<Key, Long> changed = new TreeMap<>();
    for (Map.Entry<Key, Long> e : current.entrySet()) {
      Long before = read.get(e.getKey());
      if (before == null) {
        throw new IllegalStateException("counter " + e.getKey() + " was not read");
      }
      if (!before.equals(e.getValue())) {
        changed.put(e.getKey(), e.getValue());
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    PreparedStatement ps = tx.prepare(FLUSH);
    for (Map.Entry<Key, Long> e : changed.entrySet()) {
      Key k = e.getKey();
      ps.setLong(1, e.getValue());
      ps.setString(2, k.agent());
      ps.setLong(3, k.periodSeconds());
      ps.setLong(4, k.periodStart());
      ps.setLong(5, read.get(k));
      ps.addBatch();
    }
    int[] counts = ps.executeBatch();
    for (int n : counts) {
      if (n != 1 && n != PreparedStatement.SUCCESS_NO_INFO) {
        throw new RetryableConflict("a counter changed under a locked transaction");
      }
    }
  }

  /** Releases a withdrawn decision's counts (each by one, never below zero), in key order. */
  static void release(Tx tx, Collection<Key> keys) throws SQLException {
    PreparedStatement ps = tx.prepare(RELEASE);
    for (Key k : new TreeSet<>(keys)) {
      ps.setString(1, k.agent());
      ps.setLong(2, k.periodSeconds());
      ps.setLong(3, k.periodStart());
      ps.addBatch();
    }
    ps.executeBatch();
  }
}
