package org.defer4j.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A server in its own JVM ({@link RouterMain}), for the multi-process and crash tests. */
final class Child implements AutoCloseable {
  final Process process;
  final int port;
  final Path log;

  private Child(Process p, int port, Path log) {
    this.process = p;
    this.port = port;
    this.log = log;
  }

  static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  /** Starts a server process and waits until it listens. */
  static Child start(Path work, List<String> args, Map<String, String> env) throws Exception {
    Files.createDirectories(work);
    Path portFile = Files.createTempFile(work, "port", ".txt");
    Files.delete(portFile);
    Path log = Files.createTempFile(work, "server", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(RouterMain.class.getName());
    cmd.addAll(args);
    cmd.add("--port");
    cmd.add("0");
    cmd.add("--port-file");
    cmd.add(portFile.toString());
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("DEFER4J_LOG_REQUESTS", "false");
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(portFile)) {
      if (!p.isAlive()) {
        throw new IllegalStateException("the server process exited: " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "the server process did not start: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return new Child(p, Integer.parseInt(Files.readString(portFile).trim()), log);
  }

  String url() {
    return "http://localhost:" + port;
  }

  /** kill -9. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  static String pathSeparator() {
    return File.pathSeparator;
  }
}
