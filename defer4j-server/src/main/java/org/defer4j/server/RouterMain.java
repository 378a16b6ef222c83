package org.defer4j.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * A bare entry point for a server process ({@code java -cp ... org.defer4j.server.RouterMain}):
 * {@code [--config FILE] [--port N] [--data-dir DIR] [--jdbc-url URL] [--policy FILE] [--port-file
 * FILE]}, plus the environment ({@link ServerConfig}). {@code ./defer4j serve} is the documented
 * way to run the service; this one serves tests that start several processes on one store. With
 * {@code --port-file} the port is written to the file once the server listens.
 */
public final class RouterMain {
  private RouterMain() {}

  /** Starts a server and runs until the process is stopped (SIGTERM shuts down gracefully). */
  public static void main(String[] args) throws Exception {
    Path config = null;
    Path portFile = null;
    ServerConfig.Builder b;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--config")) {
        config = Path.of(args[i + 1]);
      }
    }
    b = ServerConfig.load(config, System.getenv());
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--config" -> {}
        case "--port" -> b.port(Integer.parseInt(v));
        case "--data-dir" -> b.dataDir(Path.of(v));
        case "--jdbc-url" -> b.jdbcUrl(v);
        case "--policy" -> b.policyFile(Path.of(v));
        case "--port-file" -> portFile = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    RouterServer s = RouterServer.start(b.build());
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  s.close();
                  done.countDown();
                }));
    System.out.println("defer4j-server listening on " + s.port());
    if (s.adminKey() != null) {
      System.out.println("admin key: " + s.adminKey());
    }
    System.out.flush();
    if (portFile != null) {
      writeAtomically(portFile, Integer.toString(s.port()));
    }
    done.await();
  }

  private static void writeAtomically(Path f, String text) throws IOException {
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
