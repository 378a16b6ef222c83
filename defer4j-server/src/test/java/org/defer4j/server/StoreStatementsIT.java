package org.defer4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.defer4j.server.store.RetryableConflict;
import org.defer4j.server.store.Store;
import org.defer4j.server.store.Tx;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer's prepared statements ({@link Tx#prepare}) on SQLite and on PostgreSQL: later batches
 * reuse them; a failed batch leaves nothing behind in them (rows it added to a JDBC batch are not
 * run by the next batch); a batch that met a conflict runs again on fresh statements and commits
 * once.
 */
class StoreStatementsIT {
  private static final String INSERT =
      "INSERT INTO d4j_expert (name, spec, updated_at) VALUES (?, ?, ?)";
  private static final String SELECT = "SELECT spec FROM d4j_expert WHERE name = ?";

  @TempDir Path dir;

  private Store open(String db) throws SQLException {
    String url = db.equals("sqlite") ? Store.sqliteUrl(dir) : Pg.freshDatabase();
    return Store.open(new Store.Options(url, null, null, "FULL", 2, 512), Clock.systemUTC());
  }

  private static void insert(Tx tx, String name, String spec) throws SQLException {
    PreparedStatement ps = tx.prepare(INSERT);
    ps.setString(1, name);
    ps.setString(2, spec);
    ps.setLong(3, tx.now());
    ps.addBatch();
  }

  private static String spec(Tx tx, String name) throws SQLException {
    PreparedStatement ps = tx.prepare(SELECT);
    ps.setString(1, name);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static List<String> names(Store s) {
    return s.read(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT name FROM d4j_expert ORDER BY name");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void laterBatchesReuseTheStatements(String db) throws Exception {
    try (Store s = open(db)) {
      List<PreparedStatement> seen = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String name = "a" + i;
        String read =
            s.write(
                tx -> {
                  insert(tx, name, "{\"n\":" + name.length() + "}");
                  tx.prepare(INSERT).executeBatch();
                  seen.add(tx.prepare(INSERT));
                  seen.add(tx.prepare(SELECT));
                  return spec(tx, name);
                });
        assertThat(read).isEqualTo("{\"n\":2}");
      }
      for (int i = 2; i < seen.size(); i += 2) {
        assertThat(seen.get(i)).isSameAs(seen.get(0));
        assertThat(seen.get(i + 1)).isSameAs(seen.get(1));
      }
      assertThat(seen.get(0)).isNotSameAs(seen.get(1));
      assertThat(names(s)).containsExactly("a0", "a1", "a2", "a3", "a4");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aFailedBatchLeavesNothingInTheStatements(String db) throws Exception {
    try (Store s = open(db)) {
      PreparedStatement before = s.write(tx -> tx.prepare(INSERT));
      // Adds a row to the statement's JDBC batch, then fails before running it.
      assertThatThrownBy(
              () ->
                  s.write(
                      tx -> {
                        insert(tx, "lost", "{}");
                        throw new IllegalStateException("the op fails");
                      }))
          .isInstanceOf(IllegalStateException.class);
      PreparedStatement after =
          s.write(
              tx -> {
                insert(tx, "kept", "{}");
                tx.prepare(INSERT).executeBatch();
                return tx.prepare(INSERT);
              });
      assertThat(after).isNotSameAs(before);
      assertThat(names(s)).containsExactly("kept");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aConflictRunsTheBatchAgainOnFreshStatements(String db) throws Exception {
    try (Store s = open(db)) {
      AtomicInteger attempts = new AtomicInteger();
      List<PreparedStatement> used = new ArrayList<>();
      String read =
          s.write(
              tx -> {
                insert(tx, "once", "{\"v\":1}");
                tx.prepare(INSERT).executeBatch();
                used.add(tx.prepare(INSERT));
                if (attempts.incrementAndGet() == 1) {
                  // Inserted and then rolled back: the retry inserts it again without a conflict.
                  throw new RetryableConflict("a conflict on the first attempt");
                }
                return spec(tx, "once");
              });
      assertThat(read).isEqualTo("{\"v\":1}");
      assertThat(attempts.get()).isEqualTo(2);
      assertThat(used.get(1)).isNotSameAs(used.get(0));
      assertThat(names(s)).containsExactly("once");
      // The statements of the retried batch serve the next batch.
      PreparedStatement next = s.write(tx -> tx.prepare(INSERT));
      assertThat(next).isSameAs(used.get(1));
    }
  }
}
