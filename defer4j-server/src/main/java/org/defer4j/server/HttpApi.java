package org.defer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (Javalin): routes, API keys and roles, request limits, and errors as JSON ({@code
 * {"error": {"status", "code", "message"}}}: a 4xx that says what was wrong for bad input, never a
 * stack trace). docs/server.md and {@code /openapi.json} describe every endpoint.
 */
final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final Set<String> CASE_FIELDS =
      Set.of("features", "text", "model", "available", "id");
  private static final AtomicLong REQUESTS = new AtomicLong();

  private final Router router;
  private final ServerConfig config;
  private final ChatProxy chat;
  private final Map<String, String> env;

  HttpApi(Router router, ServerConfig config, Map<String, String> env) {
    this.router = router;
    this.config = config;
    this.chat = new ChatProxy(router, config);
    this.env = env;
  }

  void install(JavalinConfig cfg) {
    var r = cfg.routes;
    r.get("/health", this::health);
    r.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(router.metrics().scrape()));
    r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(OpenApi.document()));
    r.post("/v1/route", secured(Role.ROUTE, this::route));
    r.post("/v1/outcomes", secured(Role.ROUTE, this::outcomes));
    r.get(
        "/v1/decisions/{id}",
        secured(Role.ROUTE, ctx -> json(ctx, 200, router.decisionJson(ctx.pathParam("id")))));
    r.get("/v1/dashboard", secured(Role.ROUTE, ctx -> json(ctx, 200, router.dashboard())));
    r.post("/v1/chat/completions", secured(Role.ROUTE, this::chat));
    r.get("/v1/experts", secured(Role.ADMIN, ctx -> json(ctx, 200, router.expertsJson())));
    r.put("/v1/experts", secured(Role.ADMIN, this::putExperts));
    r.put("/v1/experts/{name}", secured(Role.ADMIN, this::putExpert));
    r.delete("/v1/experts/{name}", secured(Role.ADMIN, this::deleteExpert));
    r.get("/v1/policies", secured(Role.ADMIN, ctx -> json(ctx, 200, router.policiesJson())));
    r.post("/v1/policies", secured(Role.ADMIN, this::uploadPolicy));
    r.put("/v1/policies/active", secured(Role.ADMIN, this::activate));
    r.put("/v1/policies/shadow", secured(Role.ADMIN, this::shadow));
    r.get(
        "/v1/policies/{id}",
        secured(Role.ADMIN, ctx -> json(ctx, 200, router.policyJson(ctx.pathParam("id")))));
    r.get("/v1/policies/{id}/artifact", secured(Role.ADMIN, this::artifact));
    r.get("/v1/keys", secured(Role.ADMIN, this::listKeys));
    r.post("/v1/keys", secured(Role.ADMIN, this::createKey));
    r.delete("/v1/keys/{id}", secured(Role.ADMIN, this::revokeKey));
    r.exception(ApiException.class, (e, ctx) -> error(ctx, e));
    r.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          int st = e.getStatus();
          String code =
              switch (st) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 413 -> "too_large";
                default -> st < 500 ? "invalid_request" : "internal_error";
              };
          String msg =
              st == 404
                  ? "no endpoint " + ctx.method() + " " + ctx.path() + " (see /openapi.json)"
                  : st == 405
                      ? ctx.method() + " is not allowed on " + ctx.path()
                      : st == 413
                          ? "the request body is too large"
                          : String.valueOf(e.getMessage());
          error(ctx, new ApiException(st, code, msg));
        });
    r.exception(
        Exception.class,
        (e, ctx) -> {
          String ref = "r" + REQUESTS.incrementAndGet();
          if (e instanceof org.defer4j.server.store.StoreException) {
            LOG.warn("request {} {} {}: {}", ref, ctx.method(), ctx.path(), e.getMessage());
            error(
                ctx,
                new ApiException(
                    503, "store_unavailable", "the store cannot be reached now (ref " + ref + ")"));
            return;
          }
          LOG.error("request {} {} {} failed", ref, ctx.method(), ctx.path(), e);
          JsonLog.event(
              "error", "internal_error", "ref", ref, "path", ctx.path(), "error", e.toString());
          error(
              ctx,
              new ApiException(
                  500,
                  "internal_error",
                  "internal error (ref " + ref + "); the server log has the details"));
        });
    cfg.requestLogger.http(
        (ctx, ms) -> {
          Endpoint ep = ctx.endpoints().lastHttpEndpoint();
          String route = ep == null ? "unmatched" : ep.path;
          router.metrics().request(ctx.method().name(), route, ctx.statusCode(), (long) (ms * 1e6));
          if (config.logRequests()) {
            JsonLog.event(
                "info",
                "request",
                "method",
                ctx.method().name(),
                "path",
                ctx.path(),
                "route",
                route,
                "status",
                ctx.statusCode(),
                "ms",
                Math.round(ms * 1000) / 1000.0,
                "key",
                ctx.attribute("key"),
                "ip",
                ctx.ip());
          }
        });
  }

  private Handler secured(Role role, Handler h) {
    return ctx -> {
      String header = ctx.header("Authorization");
      if (header == null || header.isBlank()) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new ApiException(401, "unauthorized", "send an API key: Authorization: Bearer KEY");
      }
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new ApiException(
            401, "unauthorized", "the Authorization header must read 'Bearer KEY'");
      }
      ApiKey k = router.authenticate(header.substring(7).trim());
      if (k == null) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new ApiException(401, "unauthorized", "unknown or revoked API key");
      }
      if (!k.role().allows(role)) {
        throw new ApiException(
            403,
            "forbidden",
            "this key has role " + k.role().apiName() + "; this endpoint needs " + role.apiName());
      }
      ctx.attribute("key", k.id());
      h.handle(ctx);
    };
  }

  static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  static void error(Context ctx, ApiException e) {
    ObjectNode o = Json.object();
    ObjectNode err = o.putObject("error");
    err.put("status", e.status());
    err.put("code", e.code());
    err.put("message", e.getMessage());
    if (e.retryAfterSeconds() != null) {
      ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
      err.put("retryAfterSeconds", e.retryAfterSeconds());
    }
    json(ctx, e.status(), o);
  }

  /** The body, at most {@code limit} bytes (413 beyond). */
  static byte[] body(Context ctx, long limit) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw ApiException.tooLarge(
          "the request body has " + declared + " bytes; the limit is " + limit);
    }
    try (InputStream in = ctx.bodyInputStream()) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, limit)));
      byte[] buf = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buf)) != -1) {
        total += n;
        if (total > limit) {
          throw ApiException.tooLarge(
              "the request body is larger than the limit of " + limit + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
    }
  }

  private ObjectNode jsonBody(Context ctx) {
    return Json.parseObject(body(ctx, config.maxBodyBytes()));
  }

  private void health(Context ctx) {
    ObjectNode o = Json.object();
    o.put("status", "ok");
    o.put("store", router.store().dialect().name().toLowerCase(java.util.Locale.ROOT));
    PolicyEntry p = router.activeEntry();
    o.put("policy", p == null ? null : p.id());
    o.put("time", Instant.now().toString());
    json(ctx, 200, o);
  }

  // ---------------------------------------------------------------- route

  private void route(Context ctx) {
    ObjectNode body = jsonBody(ctx);
    ArrayNode cases = Json.optArray(body, "cases", "");
    if (cases != null) {
      Json.onlyKeys(body, "", Set.of("cases"));
      if (cases.isEmpty()) {
        throw ApiException.badRequest("cases is empty; send at least one case");
      }
      if (cases.size() > config.maxBatch()) {
        throw ApiException.tooLarge(
            "cases has "
                + cases.size()
                + " cases; the limit is "
                + config.maxBatch()
                + " per request");
      }
      List<RouteCase> list = new ArrayList<>(cases.size());
      for (int i = 0; i < cases.size(); i++) {
        JsonNode c = cases.get(i);
        String where = "cases[" + i + "]";
        if (!c.isObject()) {
          throw ApiException.badRequest(where + " must be an object, got " + Json.kind(c));
        }
        list.add(parseCase((ObjectNode) c, where));
      }
      List<RouteResult> results = router.route(list);
      ObjectNode out = Json.object();
      ArrayNode arr = out.putArray("decisions");
      for (RouteResult rr : results) {
        arr.add(rr.toJson());
      }
      json(ctx, 200, out);
      return;
    }
    RouteCase c = parseCase(body, "");
    RouteResult rr = router.route(List.of(c), Router.RouteOptions.DEFAULT, true).get(0);
    if (rr.error() != null) {
      if (rr.error().retryAfterSeconds() != null) {
        ctx.header("Retry-After", Long.toString(rr.error().retryAfterSeconds()));
      }
      json(ctx, rr.error().status(), rr.toJson());
      return;
    }
    json(ctx, 200, rr.toJson());
  }

  static RouteCase parseCase(ObjectNode o, String where) {
    Json.onlyKeys(o, where, CASE_FIELDS);
    ObjectNode f = Json.optObject(o, "features", where);
    String text = Json.optString(o, "text", where);
    if (f == null && text == null) {
      throw ApiException.badRequest(
          (where.isEmpty() ? "" : where + ": ")
              + "a case needs features (an object of named inputs) or text");
    }
    Map<String, Object> features = f == null ? Map.of() : features(f, Json.path(where, "features"));
    RouteCase.ModelOutput model = null;
    ObjectNode m = Json.optObject(o, "model", where);
    if (m != null) {
      String mw = Json.path(where, "model");
      Json.onlyKeys(m, mw, Set.of("p", "y", "t"));
      Map<String, Double> p = null;
      ObjectNode po = Json.optObject(m, "p", mw);
      if (po != null) {
        p = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : po.properties()) {
          String pw = Json.path(Json.path(mw, "p"), e.getKey());
          double v = Json.number(e.getValue(), pw);
          if (v < 0 || v > 1) {
            throw ApiException.badRequest(pw + " must be a probability in [0, 1], got " + v);
          }
          p.put(e.getKey(), v);
        }
      }
      model = new RouteCase.ModelOutput(p, Json.optString(m, "y", mw), Json.optNumber(m, "t", mw));
    }
    List<String> available = Json.optStrings(o, "available", where);
    String id = Json.optString(o, "id", where);
    if (id != null && id.length() > 200) {
      throw ApiException.badRequest(Json.path(where, "id") + " is longer than 200 characters");
    }
    return new RouteCase(features, text, model, available, id);
  }

  /** Named inputs: numbers and strings only. */
  static Map<String, Object> features(ObjectNode f, String where) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : f.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      String kw = Json.path(where, k);
      if (k.isEmpty() || k.length() > 200) {
        throw ApiException.badRequest(where + ": a feature name must have 1 to 200 characters");
      }
      if (v.isNumber()) {
        out.put(k, Json.number(v, kw));
      } else if (v.isTextual()) {
        out.put(k, v.asText());
      } else {
        throw ApiException.badRequest(
            kw + " must be a number (or text for a text column), got " + Json.kind(v));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- outcomes

  private void outcomes(Context ctx) {
    ObjectNode body = jsonBody(ctx);
    ArrayNode list = Json.optArray(body, "outcomes", "");
    if (list == null) {
      Router.OutcomeStatus st = router.recordOutcome(body);
      ObjectNode o = Json.object();
      o.put("decisionId", body.get("decisionId").asText());
      o.put("status", st == Router.OutcomeStatus.CREATED ? "created" : "duplicate");
      json(ctx, st == Router.OutcomeStatus.CREATED ? 201 : 200, o);
      return;
    }
    Json.onlyKeys(body, "", Set.of("outcomes"));
    if (list.isEmpty()) {
      throw ApiException.badRequest("outcomes is empty");
    }
    if (list.size() > config.maxBatch()) {
      throw ApiException.tooLarge(
          "outcomes has "
              + list.size()
              + " entries; the limit is "
              + config.maxBatch()
              + " per request");
    }
    List<ObjectNode> bodies = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isObject()) {
        throw ApiException.badRequest(
            "outcomes[" + i + "] must be an object, got " + Json.kind(list.get(i)));
      }
      bodies.add((ObjectNode) list.get(i));
    }
    List<Object> results = router.recordOutcomes(bodies);
    ObjectNode out = Json.object();
    ArrayNode arr = out.putArray("results");
    for (int i = 0; i < results.size(); i++) {
      ObjectNode o = arr.addObject();
      JsonNode id = bodies.get(i).get("decisionId");
      if (id != null && id.isTextual()) {
        o.put("decisionId", id.asText());
      }
      Object r = results.get(i);
      if (r instanceof ApiException e) {
        o.put("status", e.status());
        ObjectNode err = o.putObject("error");
        err.put("status", e.status());
        err.put("code", e.code());
        err.put("message", e.getMessage());
      } else {
        o.put("status", r == Router.OutcomeStatus.CREATED ? 201 : 200);
        o.put("result", r == Router.OutcomeStatus.CREATED ? "created" : "duplicate");
      }
    }
    json(ctx, 200, out);
  }

  // ---------------------------------------------------------------- chat

  private void chat(Context ctx) {
    ChatProxy.Answer a = chat.handle(jsonBody(ctx), env);
    a.headers().forEach(ctx::header);
    json(ctx, a.status(), a.body());
  }

  // ---------------------------------------------------------------- experts

  private void putExperts(Context ctx) {
    ObjectNode body = jsonBody(ctx);
    Json.onlyKeys(body, "", Set.of("experts"));
    ArrayNode arr = Json.optArray(body, "experts", "");
    if (arr == null) {
      throw ApiException.badRequest("experts is required: a list of registry entries");
    }
    List<ExpertSpec> entries = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      ExpertSpec e = ExpertSpec.fromJson(arr.get(i), "experts[" + i + "]");
      if (!seen.add(e.name())) {
        throw ApiException.badRequest(
            "experts[" + i + "]: agent '" + e.name() + "' is listed twice");
      }
      entries.add(e);
    }
    router.putExperts(entries);
    json(ctx, 200, router.expertsJson());
  }

  private void putExpert(Context ctx) {
    String name = ctx.pathParam("name");
    ObjectNode body = jsonBody(ctx);
    if (!body.has("name")) {
      body.put("name", name);
    } else if (!name.equals(body.get("name").asText())) {
      throw ApiException.badRequest(
          "name: the body names '" + body.get("name").asText() + "', the path '" + name + "'");
    }
    router.putExperts(List.of(ExpertSpec.fromJson(body, "")));
    json(ctx, 200, router.expertsJson());
  }

  private void deleteExpert(Context ctx) {
    if (!router.deleteExpert(ctx.pathParam("name"))) {
      throw ApiException.notFound(
          "the registry has no entry for " + Json.abbreviate(ctx.pathParam("name")));
    }
    ctx.status(204);
  }

  // ---------------------------------------------------------------- policies

  private void uploadPolicy(Context ctx) {
    byte[] bytes = body(ctx, config.maxPolicyBytes());
    if (bytes.length == 0) {
      throw ApiException.badRequest(
          "the request body is empty; send a policy artifact (the JSON from 'defer4j train')");
    }
    boolean existed;
    PolicyEntry parsed = PolicyEntry.fromArtifact(bytes, System.currentTimeMillis());
    existed = router.policy(parsed.id()) != null;
    PolicyEntry e = router.upload(bytes);
    String activate = ctx.queryParam("activate");
    if ("true".equals(activate)) {
      router.activate(e.id());
    } else if (activate != null && !"false".equals(activate)) {
      throw ApiException.badRequest(
          "activate must be true or false, got " + Json.abbreviate(activate));
    }
    ObjectNode o = Router.describe(e);
    o.put("active", router.activeEntry() != null && router.activeEntry().id().equals(e.id()));
    o.put("created", !existed);
    json(ctx, existed ? 200 : 201, o);
  }

  private void activate(Context ctx) {
    ObjectNode body = jsonBody(ctx);
    Json.onlyKeys(body, "", Set.of("id", "rollback"));
    Boolean rollback = Json.optBoolean(body, "rollback", "");
    String id = Json.optString(body, "id", "");
    if (Boolean.TRUE.equals(rollback)) {
      if (id != null) {
        throw ApiException.badRequest("send either id or rollback, not both");
      }
      router.rollback();
    } else if (id != null) {
      router.activate(id);
    } else {
      throw ApiException.badRequest("send {\"id\": POLICY_ID} or {\"rollback\": true}");
    }
    json(ctx, 200, router.policiesJson());
  }

  private void shadow(Context ctx) {
    ObjectNode body = jsonBody(ctx);
    Json.onlyKeys(body, "", Set.of("id"));
    if (!body.has("id")) {
      throw ApiException.badRequest(
          "send {\"id\": POLICY_ID} or {\"id\": null} to remove the shadow");
    }
    router.setShadow(Json.optString(body, "id", ""));
    json(ctx, 200, router.policiesJson());
  }

  private void artifact(Context ctx) {
    PolicyEntry e = router.policy(ctx.pathParam("id"));
    if (e == null) {
      throw ApiException.notFound("no policy " + Json.abbreviate(ctx.pathParam("id")));
    }
    ctx.status(200)
        .contentType("application/json")
        .result(e.artifact().getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- keys

  private void listKeys(Context ctx) {
    ObjectNode o = Json.object();
    ArrayNode arr = o.putArray("keys");
    for (ApiKey k : router.keys()) {
      arr.add(keyJson(k));
    }
    json(ctx, 200, o);
  }

  private static ObjectNode keyJson(ApiKey k) {
    ObjectNode o = Json.object();
    o.put("id", k.id());
    o.put("role", k.role().apiName());
    o.put("name", k.name());
    o.put("createdAt", Instant.ofEpochMilli(k.createdAt()).toString());
    return o;
  }

  private void createKey(Context ctx) {
    ObjectNode body = jsonBody(ctx);
    Json.onlyKeys(body, "", Set.of("role", "name"));
    Role role = Role.parse(Json.string(body, "role", ""));
    String name = Json.optString(body, "name", "");
    if (name != null && name.length() > 200) {
      throw ApiException.badRequest("name is longer than 200 characters");
    }
    Map.Entry<String, ApiKey> k = router.createKey(role, name);
    ObjectNode o = keyJson(k.getValue());
    o.put("key", k.getKey());
    json(ctx, 201, o);
  }

  private void revokeKey(Context ctx) {
    if (!router.revokeKey(ctx.pathParam("id"))) {
      throw ApiException.notFound("no key " + Json.abbreviate(ctx.pathParam("id")));
    }
    ctx.status(204);
  }
}
