package org.defer4j.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store of decisions, outcomes, policies, the expert registry, budgets and API keys: a
 * SQLite file under the data directory (the default) or a PostgreSQL database, its schema managed
 * by Flyway ({@code db/migration}).
 *
 * <p><b>Writes</b> go through one writer thread per process that commits them in groups: every
 * write waiting when a transaction starts joins it (up to {@code maxBatch}), so one commit (one
 * {@code fsync}) makes many requests durable; a caller's future completes only after the commit. A
 * batch that meets a conflict or a deadlock is rolled back and run again; a batch in which one
 * write fails is rolled back and its writes are run one by one, so only the failing one fails. The
 * writer keeps its prepared statements from one batch to the next ({@link Tx#prepare}) and drops
 * them after a rollback.
 *
 * <p><b>Reads</b> borrow one of a few reader connections (SQLite in WAL mode lets them read while
 * the writer writes).
 *
 * <p><b>SQLite durability</b>: WAL journal with {@code synchronous=FULL} by default, so a committed
 * write survives a crash of the process and of the machine; {@code NORMAL} (configurable) survives
 * a crash of the process only. Either way the writer's group commit amortises the sync.
 */
public final class Store implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Store.class);

  /** Retries of a batch that met a conflict or a deadlock. */
  static final int RETRIES = 20;

  private final String url;
  private final Dialect dialect;
  private final Properties properties;
  private final Clock clock;
  private final int maxBatch;
  private final Connection writer;
  private final StatementCache statements;
  private final BlockingQueue<Connection> readers;
  private final List<Connection> allReaders = new ArrayList<>();
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final Thread writerThread;
  private volatile boolean closing;
  private volatile boolean closed;

  /** How to open a store. */
  public record Options(
      String jdbcUrl,
      String user,
      String password,
      String sqliteSynchronous,
      int readers,
      int maxBatch) {

    /** Validates. */
    public Options {
      if (!List.of("FULL", "NORMAL", "EXTRA").contains(sqliteSynchronous)) {
        throw new IllegalArgumentException(
            "store.sqlite-synchronous must be FULL, NORMAL or EXTRA, got " + sqliteSynchronous);
      }
      if (readers < 1 || maxBatch < 1) {
        throw new IllegalArgumentException("readers and maxBatch must be >= 1");
      }
    }

    /** A SQLite store in {@code dataDir} with the defaults. */
    public static Options sqlite(Path dataDir) {
      return new Options(sqliteUrl(dataDir), null, null, "FULL", 4, 512);
    }
  }

  /** The JDBC URL of the SQLite store in a data directory. */
  public static String sqliteUrl(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("defer4j.db");
  }

  private Store(Options o, Clock clock) throws SQLException {
    this.url = o.jdbcUrl();
    this.dialect = Dialect.of(url);
    this.clock = clock;
    this.maxBatch = o.maxBatch();
    this.properties = new Properties();
    if (o.user() != null) {
      properties.setProperty("user", o.user());
    }
    if (o.password() != null) {
      properties.setProperty("password", o.password());
    }
    if (dialect == Dialect.SQLITE) {
      properties.setProperty("journal_mode", "WAL");
      properties.setProperty("synchronous", o.sqliteSynchronous());
      properties.setProperty("busy_timeout", "30000");
      properties.setProperty("foreign_keys", "true");
    }
    migrate();
    Properties w = new Properties();
    w.putAll(properties);
    if (dialect == Dialect.SQLITE) {
      w.setProperty("transaction_mode", "IMMEDIATE");
    }
    this.writer = DriverManager.getConnection(url, w);
    writer.setAutoCommit(true);
    this.statements = new StatementCache(writer);
    this.readers = new ArrayBlockingQueue<>(o.readers());
    for (int i = 0; i < o.readers(); i++) {
      Connection c = DriverManager.getConnection(url, properties);
      c.setAutoCommit(true);
      allReaders.add(c);
      readers.add(c);
    }
    this.writerThread = new Thread(this::writeLoop, "defer4j-store-writer");
    writerThread.setDaemon(true);
    writerThread.start();
  }

  /**
   * Opens (and creates or migrates) a store.
   *
   * @throws SQLException when the database cannot be reached or migrated
   */
  public static Store open(Options options, Clock clock) throws SQLException {
    if (Dialect.of(options.jdbcUrl()) == Dialect.SQLITE) {
      Path file = Path.of(options.jdbcUrl().substring("jdbc:sqlite:".length()));
      Path dir = file.toAbsolutePath().getParent();
      try {
        Files.createDirectories(dir);
      } catch (java.io.IOException e) {
        throw new SQLException("cannot create the data directory " + dir + ": " + e.getMessage());
      }
    }
    return new Store(options, clock);
  }

  private void migrate() throws SQLException {
    try {
      Flyway.configure()
          .dataSource(url, properties.getProperty("user"), properties.getProperty("password"))
          .locations("classpath:db/migration")
          .table("d4j_schema_history")
          .baselineOnMigrate(false)
          .load()
          .migrate();
    } catch (org.flywaydb.core.api.FlywayException e) {
      throw new SQLException("schema migration failed on " + safeUrl() + ": " + e.getMessage(), e);
    }
  }

  /** The database. */
  public Dialect dialect() {
    return dialect;
  }

  /** The JDBC URL without credentials, for messages. */
  public String safeUrl() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** A read on one of the reader connections (auto-commit). */
  public <T> T read(SqlFunction<T> f) {
    if (closed) {
      throw new StoreException("the store is closed");
    }
    Connection c;
    try {
      c = readers.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a database connection");
    }
    if (c == null) {
      throw new StoreException("no database connection became free within 30 s");
    }
    try {
      return f.apply(c);
    } catch (SQLException e) {
      throw new StoreException("database read failed: " + e.getMessage(), e);
    } finally {
      readers.add(c);
    }
  }

  /** Queues a write; the future completes once it is committed (or failed). */
  public <T> CompletableFuture<T> submit(WriteOp<T> op) {
    Pending<T> p = new Pending<>(op);
    if (closing) {
      p.future.completeExceptionally(new StoreException("the store is shutting down"));
      return p.future;
    }
    queue.add(p);
    return p.future;
  }

  /** {@link #submit} and waits for the commit. */
  public <T> T write(WriteOp<T> op) {
    return await(submit(op));
  }

  /** Waits for a submitted write. */
  public static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for the store");
    } catch (TimeoutException e) {
      throw new StoreException("the store did not commit within 120 s");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException("database write failed: " + c.getMessage(), c);
    }
  }

  private void writeLoop() {
    List<Pending<?>> batch = new ArrayList<>();
    while (true) {
      Pending<?> first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
      }
      if (first == null) {
        if (closing && queue.isEmpty()) {
          return;
        }
        continue;
      }
      batch.clear();
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      runBatch(batch, true);
    }
  }

  private void runBatch(List<Pending<?>> batch, boolean isolateOnFailure) {
    SQLException last = null;
    for (int attempt = 0; attempt <= RETRIES; attempt++) {
      long now = clock.millis();
      Object[] results = new Object[batch.size()];
      try {
        for (Pending<?> p : batch) {
          p.op.prepare(writer, dialect, now);
        }
        writer.setAutoCommit(false);
        Tx tx = new Tx(writer, dialect, now, statements);
        for (int i = 0; i < batch.size(); i++) {
          results[i] = batch.get(i).op.apply(tx);
        }
        tx.runBeforeCommit();
        writer.commit();
        writer.setAutoCommit(true);
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).complete(results[i]);
        }
        return;
      } catch (RetryableConflict e) {
        rollback();
        last = new SQLException(e.getMessage());
      } catch (SQLException e) {
        rollback();
        last = e;
        if (!retryable(e)) {
          break;
        }
      } catch (RuntimeException e) {
        rollback();
        fail(batch, isolateOnFailure, e);
        return;
      }
      backoff(attempt);
    }
    fail(batch, isolateOnFailure, new StoreException("database write failed: " + last, last));
  }

  private void fail(List<Pending<?>> batch, boolean isolate, RuntimeException e) {
    if (isolate && batch.size() > 1) {
      for (Pending<?> p : batch) {
        runBatch(List.of(p), false);
      }
      return;
    }
    LOG.warn("store write failed: {}", e.toString());
    for (Pending<?> p : batch) {
      p.future.completeExceptionally(e);
    }
  }

  private static boolean retryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        // serialization failure, deadlock, unique violation from a concurrent insert
        if ("40001".equals(state) || "40P01".equals(state) || "23505".equals(state)) {
          return true;
        }
        String m = String.valueOf(s.getMessage());
        if (m.contains("SQLITE_BUSY") || m.contains("database is locked")) {
          return true;
        }
      }
    }
    return false;
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(Math.min(200, 1L << Math.min(attempt, 7)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rollback() {
    statements.clear();
    try {
      writer.rollback();
      writer.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.warn("rollback failed: {}", e.toString());
    }
  }

  /**
   * Stops taking writes, commits every queued one and closes the connections (the SQLite WAL is
   * checkpointed into the database file).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closing = true;
    try {
      writerThread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    statements.clear();
    if (dialect == Dialect.SQLITE) {
      try (Statement st = writer.createStatement()) {
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (SQLException e) {
        LOG.warn("WAL checkpoint failed: {}", e.toString());
      }
    }
    closeQuietly(writer);
    for (Connection c : allReaders) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing a connection failed: {}", e.toString());
    }
  }

  /** A read that may fail with an SQL error. */
  @FunctionalInterface
  public interface SqlFunction<T> {
    /** Reads through {@code c}. */
    T apply(Connection c) throws SQLException;
  }

  private static final class Pending<T> {
    final WriteOp<T> op;
    final CompletableFuture<T> future = new CompletableFuture<>();

    Pending(WriteOp<T> op) {
      this.op = op;
    }

    @SuppressWarnings("unchecked")
    void complete(Object result) {
      future.complete((T) result);
    }
  }

  /** Unwraps the cause of a failed future for callers that join. */
  static RuntimeException unwrap(CompletionException e) {
    return e.getCause() instanceof RuntimeException r ? r : e;
  }
}
