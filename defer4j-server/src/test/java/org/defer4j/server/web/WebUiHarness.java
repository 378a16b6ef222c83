package org.defer4j.server.web;

import io.javalin.Javalin;
import java.util.concurrent.atomic.AtomicReference;
import org.defer4j.core.policy.LearnedPolicy;

/**
 * A bare Javalin app that only calls {@link WebUi#install}, plus a fixed {@code /v1/dashboard} (the
 * contract's JSON, checking the Bearer key) for tests that do not run the router.
 */
final class WebUiHarness implements AutoCloseable {
  /** The key the fixed dashboard accepts. */
  static final String KEY = "test-key-123";

  /** The fixed dashboard body, in the contract's shape. */
  static final String DASHBOARD =
      """
      {"policy":{"id":"p-7","method":"2s-comp:1","activatedAt":"2026-01-05T10:00:00Z"},
       "agents":[
        {"name":"model","fee":0.0,"capacity":null,"period":null,"used":0,"available":true,
         "decisions":15,"targetShare":null,"realisedShare":0.75},
        {"name":"gpt4","fee":0.2,"capacity":10,"period":"PT1H","used":4,"available":true,
         "decisions":4,"targetShare":0.25,"realisedShare":0.2},
        {"name":"alice","fee":0.5,"capacity":2,"period":"PT1H","used":2,"available":false,
         "decisions":1,"targetShare":null,"realisedShare":0.05}],
       "allocation":[
        {"start":"2026-01-05T10:01:00Z","counts":{"model":12,"gpt4":3}},
        {"start":"2026-01-05T10:02:00Z","counts":{"model":3,"gpt4":1,"alice":1}}],
       "live":{"outcomes":9,"accuracy":0.8888888888888888,"meanCost":0.1234}}
      """;

  final AtomicReference<LearnedPolicy> policy = new AtomicReference<>();
  private final Javalin app;

  WebUiHarness() {
    app =
        Javalin.create(
                cfg -> {
                  WebUi.install(cfg, policy::get);
                  cfg.routes.get(
                      "/v1/dashboard",
                      ctx -> {
                        if (!("Bearer " + KEY).equals(ctx.header("Authorization"))) {
                          ctx.status(401)
                              .contentType("application/json")
                              .result("{\"error\":\"unknown API key\"}");
                          return;
                        }
                        ctx.contentType("application/json").result(DASHBOARD);
                      });
                })
            .start("127.0.0.1", 0);
  }

  int port() {
    return app.port();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() {
    app.stop();
  }
}
