package org.defer4j.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.defer4j.core.feature.Standardization;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.train.TrainingDivergedException;

/**
 * Mounts the web UI on a Javalin configuration: static pages under {@code /ui/} from the jar's
 * {@code /web} folder and their JSON endpoints under {@code /ui/api/} (no authentication; the
 * dashboard page calls the key-protected {@code /v1/dashboard} with the key the user gives).
 *
 * <ul>
 *   <li>{@code GET /ui/api/l2d/problem?seed=S}: the interactive page's points and fixed classifier
 *       ({@link PocketProblem});
 *   <li>{@code POST /ui/api/l2d/learn}: trains a defer4j policy on posted points ({@link
 *       RegionLearner}) and returns where it defers, on the points and on a grid;
 *   <li>{@code GET /ui/api/policy/grid?size=N&xmin=..&xmax=..&ymin=..&ymax=..}: the active policy's
 *       choice per cell of a grid over its two input features ({@link RegionGrid}).
 * </ul>
 *
 * Bad input gets a 4xx JSON body {@code {"error": "..."}}; a training in progress beyond {@link
 * #MAX_CONCURRENT_TRAININGS} gets 429.
 */
public final class WebUi {
  /** The deferral cost c of a learn request that gives none. */
  public static final double DEFAULT_DEFERRAL_COST = 0.25;

  /** Cells per side of the learned region's grid. */
  public static final int LEARN_GRID = 60;

  /** Adam epochs of the page's learner. */
  public static final int LEARN_EPOCHS = 200;

  /** Trainings that may run at once; more get 429. */
  public static final int MAX_CONCURRENT_TRAININGS = 2;

  /** Default cells per side of the explorer's grid. */
  public static final int EXPLORER_GRID = 80;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";

  private WebUi() {}

  /**
   * Adds the pages and endpoints to {@code config}.
   *
   * @param config the server's configuration, inside {@code Javalin.create}
   * @param activePolicy the policy that routes now (may supply null when none is active)
   */
  public static void install(JavalinConfig config, Supplier<LearnedPolicy> activePolicy) {
    if (activePolicy == null) {
      throw new IllegalArgumentException("activePolicy must be given (it may supply null)");
    }
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/ui";
          files.directory = "/web";
          files.location = Location.CLASSPATH;
        });
    Semaphore trainings = new Semaphore(MAX_CONCURRENT_TRAININGS);
    // Relative links in the pages need the trailing slash; the router ignores it when matching.
    config.routes.before(
        "/ui",
        ctx -> {
          if (ctx.path().equals("/ui")) {
            ctx.redirect("/ui/");
            ctx.skipRemainingHandlers();
          }
        });
    config.routes.get("/ui/api/l2d/problem", WebUi::problem);
    config.routes.post("/ui/api/l2d/learn", ctx -> learn(ctx, trainings));
    config.routes.get("/ui/api/policy/grid", ctx -> policyGrid(ctx, activePolicy.get()));
    config.routes.exception(
        UiRequestException.class,
        (e, ctx) -> write(ctx, e.status(), Map.of("error", e.getMessage())));
  }

  private static void problem(Context ctx) {
    long seed =
        UiRequests.integer(
            "seed", ctx.queryParam("seed"), PocketProblem.DEFAULT_SEED, 0, Long.MAX_VALUE);
    List<PocketProblem.Point> points =
        seed == PocketProblem.DEFAULT_SEED
            ? PocketProblem.standard()
            : PocketProblem.draw(seed, 220, 90);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("seed", seed);
    body.put("classes", PocketProblem.CLASSES);
    body.put(
        "classifier",
        Map.of("w", List.of(PocketProblem.W1, PocketProblem.W2), "b", PocketProblem.B));
    body.put("bounds", bounds(0, 1, 0, 1));
    body.put("points", pointsJson(points));
    body.put("deferralCost", DEFAULT_DEFERRAL_COST);
    write(ctx, 200, body);
  }

  private static void learn(Context ctx, Semaphore trainings) {
    UiRequests.LearnRequest req = UiRequests.learn(ctx.body());
    if (!trainings.tryAcquire()) {
      throw new UiRequestException(
          429, "too many trainings in progress (" + MAX_CONCURRENT_TRAININGS + "); retry shortly");
    }
    RegionLearner.Learned learned;
    long start = System.nanoTime();
    try {
      learned =
          new RegionLearner(LEARN_EPOCHS, 1L).learn(req.points(), req.deferralCost(), LEARN_GRID);
    } catch (IllegalArgumentException | ArithmeticException | TrainingDivergedException e) {
      throw new UiRequestException(
          422, "defer4j could not learn on these points: " + e.getMessage());
    } finally {
      trainings.release();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    LearnedPolicy p = learned.policy();
    body.put(
        "policy",
        Map.of(
            "method",
            p.provenance().method(),
            "scorer",
            p.provenance().options().getOrDefault("scorer", ""),
            "epochs",
            p.provenance().epochs()));
    body.put("deferralCost", req.deferralCost());
    body.put("trainMillis", (System.nanoTime() - start) / 1_000_000);
    List<Boolean> deferred = new ArrayList<>();
    for (boolean b : learned.deferred()) {
      deferred.add(b);
    }
    body.put("deferred", deferred);
    body.put("readout", readoutJson(learned.readout()));
    body.put("grid", gridJson(learned.grid(), 1));
    write(ctx, 200, body);
  }

  private static void policyGrid(Context ctx, LearnedPolicy policy) {
    if (policy == null) {
      throw new UiRequestException(404, "no policy is active");
    }
    int size =
        (int)
            UiRequests.integer(
                "size", ctx.queryParam("size"), EXPLORER_GRID, 2, RegionGrid.MAX_SIZE);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("policy", Map.of("name", policy.name(), "method", policy.provenance().method()));
    body.put("agents", List.of(policy.agents().names()));
    body.put("features", policy.features().columns());
    String why = RegionGrid.notPlottable(policy);
    if (why != null) {
      body.put("plottable", false);
      body.put("reason", why);
      write(ctx, 200, body);
      return;
    }
    // Default view: the training features' mean ± 3 standard deviations when the policy carries
    // its standardisation, else [-3, 3] on each axis.
    Standardization s = policy.features().standardization();
    double[] lo = {-3, -3};
    double[] hi = {3, 3};
    if (s != null) {
      for (int j = 0; j < 2; j++) {
        lo[j] = s.mean()[j] - 3 * s.scale()[j];
        hi[j] = s.mean()[j] + 3 * s.scale()[j];
      }
    }
    double xmin = UiRequests.number("xmin", ctx.queryParam("xmin"), lo[0]);
    double xmax = UiRequests.number("xmax", ctx.queryParam("xmax"), hi[0]);
    double ymin = UiRequests.number("ymin", ctx.queryParam("ymin"), lo[1]);
    double ymax = UiRequests.number("ymax", ctx.queryParam("ymax"), hi[1]);
    if (!(xmin < xmax) || !(ymin < ymax)) {
      throw UiRequestException.badRequest(
          "the view needs xmin < xmax and ymin < ymax, got x ["
              + xmin
              + ", "
              + xmax
              + "], y ["
              + ymin
              + ", "
              + ymax
              + "]");
    }
    RegionGrid grid;
    try {
      grid = RegionGrid.evaluate(policy, size, xmin, xmax, ymin, ymax);
    } catch (IllegalArgumentException e) {
      throw new UiRequestException(422, e.getMessage());
    }
    body.put("plottable", true);
    body.put("grid", gridJson(grid, -1));
    write(ctx, 200, body);
  }

  /**
   * The grid as JSON; with {@code deferFrom >= 0} also a {@code deferred} string per row ('1' where
   * the chosen agent index is at least {@code deferFrom}).
   */
  private static Map<String, Object> gridJson(RegionGrid g, int deferFrom) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("size", g.size());
    m.put("bounds", bounds(g.xmin(), g.xmax(), g.ymin(), g.ymax()));
    m.put("features", g.features());
    m.put("agents", g.agents());
    int[] chosen = g.chosen();
    List<Integer> c = new ArrayList<>(chosen.length);
    for (int v : chosen) {
      c.add(v);
    }
    m.put("chosen", c);
    int[] counts = new int[g.agents().size()];
    for (int v : chosen) {
      counts[v]++;
    }
    List<Double> shares = new ArrayList<>();
    for (int k : counts) {
      shares.add(k / (double) chosen.length);
    }
    m.put("shares", shares);
    return m;
  }

  private static Map<String, Object> bounds(double xmin, double xmax, double ymin, double ymax) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("xmin", xmin);
    b.put("xmax", xmax);
    b.put("ymin", ymin);
    b.put("ymax", ymax);
    return b;
  }

  private static List<Map<String, Object>> pointsJson(List<PocketProblem.Point> points) {
    List<Map<String, Object>> out = new ArrayList<>(points.size());
    for (PocketProblem.Point p : points) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("x", p.x());
      m.put("y", p.y());
      m.put("label", p.label());
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> readoutJson(PocketProblem.Readout r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("points", r.points());
    m.put("deferred", r.deferred());
    m.put("correct", r.correct());
    m.put("coverage", finiteOrNull(r.coverage()));
    m.put("accuracy", finiteOrNull(r.accuracy()));
    return m;
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static void write(Context ctx, int status, Object body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a web UI response as JSON", e);
    }
    ctx.status(status).contentType(JSON_TYPE).result(text);
  }
}
