package org.defer4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.defer4j.server.RouterServer;
import org.defer4j.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in headless Chromium (Debian's {@code /usr/bin/chromium} and {@code
 * /usr/bin/chromedriver}, never a Selenium Manager download): the drawing page's readout against
 * coverage and accuracy computed here from the same points and region, defer4j's learned region,
 * the dashboard and the explorer. Screenshots go to {@code target/ui-screenshots/}.
 */
class WebUiBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "ui-screenshots");

  /**
   * Pixel clearance between every point and every drawn edge: the page drops pointer moves shorter
   * than 1.5 view units (at most 1.5 px here) and a pointer lands on whole CSS pixels, so within
   * this distance the page and this test could disagree about a point.
   */
  static final double CLEARANCE_PX = 2.0;

  static WebUiHarness server;
  static ChromeDriver driver;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: needs Debian's chromium and chromium-driver at "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " (.ci/run installs them)");
    Files.createDirectories(SHOTS);
    server = new WebUiHarness();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1200,1100");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void drawnRegionReadoutMatchesCountsComputedHere() throws Exception {
    JsonNode problem = getJson("/ui/api/l2d/problem");
    List<double[]> points = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (JsonNode p : problem.get("points")) {
      points.add(new double[] {p.get("x").asDouble(), p.get("y").asDouble()});
      labels.add(p.get("label").asInt());
    }
    double w1 = problem.get("classifier").get("w").get(0).asDouble();
    double w2 = problem.get("classifier").get("w").get(1).asDouble();
    double b = problem.get("classifier").get("b").asDouble();

    open("/ui/l2d.html");
    WebElement plot = driver.findElement(By.id("draw-plot"));
    js("arguments[0].scrollIntoView({block: 'center'});", plot);
    @SuppressWarnings("unchecked")
    Map<String, Object> rect =
        (Map<String, Object>)
            js(
                "const r = arguments[0].getBoundingClientRect();"
                    + " return {left: r.left, top: r.top, width: r.width, height: r.height};",
                plot);
    double left = ((Number) rect.get("left")).doubleValue();
    double top = ((Number) rect.get("top")).doubleValue();
    double width = ((Number) rect.get("width")).doubleValue();
    double height = ((Number) rect.get("height")).doubleValue();

    // Three strokes in data coordinates: a hexagon round the mixed pocket (mouse), a small
    // triangle in the lower left (pen) and one in the lower right (touch). The page's documented
    // mapping: pixel = (left + x·width,
    // top + (1 − y)·height), so each vertex goes to the nearest whole pixel.
    double[][] pocket = {
      {0.40, 0.70}, {0.48, 0.59}, {0.66, 0.60}, {0.74, 0.75}, {0.68, 0.97}, {0.45, 0.95}
    };
    double[][] corner = {{0.05, 0.05}, {0.30, 0.08}, {0.10, 0.28}};
    double[][] right = {{0.78, 0.10}, {0.96, 0.12}, {0.88, 0.32}};
    List<double[]> pixels = new ArrayList<>();
    for (double[] p : points) {
      pixels.add(new double[] {left + p[0] * width, top + (1 - p[1]) * height});
    }
    List<int[]> strokeA = clearStroke(pocket, pixels, left, top, width, height);
    List<int[]> strokeB = clearStroke(corner, pixels, left, top, width, height);
    List<int[]> strokeC = clearStroke(right, pixels, left, top, width, height);
    List<List<double[]>> polygons = new ArrayList<>();
    polygons.add(toData(strokeA, left, top, width, height));
    polygons.add(toData(strokeB, left, top, width, height));
    polygons.add(toData(strokeC, left, top, width, height));

    draw(PointerInput.Kind.MOUSE, "mouse", strokeA);
    draw(PointerInput.Kind.PEN, "pen", strokeB);
    draw(PointerInput.Kind.TOUCH, "finger", strokeC);

    // Expected readout, computed here: even-odd inside test per polygon, union over polygons.
    int n = points.size();
    int deferred = 0;
    int kept = 0;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      double x = points.get(i)[0];
      double y = points.get(i)[1];
      boolean in = false;
      for (List<double[]> poly : polygons) {
        in |= evenOdd(poly, x, y);
      }
      if (in) {
        deferred++;
      } else {
        kept++;
        int predicted = w1 * x + w2 * y + b > 0 ? 1 : 0;
        correct += predicted == labels.get(i) ? 1 : 0;
      }
    }
    double coverage = kept / (double) n;
    double accuracy = correct / (double) kept;
    assertThat(deferred).as("the strokes defer some points").isGreaterThan(40);

    assertThat(text("deferred-count")).isEqualTo(Integer.toString(deferred));
    assertThat(text("point-count")).isEqualTo(Integer.toString(n));
    // The page shows percentages with one decimal: agree within half of the last digit.
    assertThat(percent(text("coverage"))).isCloseTo(100 * coverage, within(0.05 + 1e-9));
    assertThat(percent(text("accuracy"))).isCloseTo(100 * accuracy, within(0.05 + 1e-9));
    assertThat(text("yours-deferred")).isEqualTo(Integer.toString(deferred));
    screenshot("l2d-drawn");

    // defer4j's region on the same points.
    driver.findElement(By.id("learn")).click();
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(d -> !d.findElements(By.id("learned-accuracy-value")).isEmpty());
    int learnedDeferred = Integer.parseInt(text("learned-deferred-count"));
    double learnedCoverage = percent(text("learned-coverage-value"));
    assertThat(learnedCoverage).isCloseTo(100.0 * (n - learnedDeferred) / n, within(0.05 + 1e-9));
    double none = percent(text("none-accuracy"));
    assertThat(percent(text("learned-accuracy-value")))
        .as("the learned region raises accuracy over deferring nothing")
        .isGreaterThan(none + 5);
    screenshot("l2d-learned");

    // Clear empties the user's region again.
    driver.findElement(By.id("clear")).click();
    assertThat(text("deferred-count")).isEqualTo("0");

    // The keyboard alternative: a rectangle typed in. Expected: the points inside it, counted here.
    driver.findElement(By.cssSelector("details summary")).click();
    double[] box = {0.40, 0.72, 0.62, 0.99};
    String[] ids = {"rect-x0", "rect-x1", "rect-y0", "rect-y1"};
    for (int k = 0; k < 4; k++) {
      WebElement in = driver.findElement(By.id(ids[k]));
      in.clear();
      in.sendKeys(Double.toString(box[k]));
    }
    driver.findElement(By.cssSelector("#rect-form button[type=submit]")).click();
    int inBox = 0;
    for (double[] p : points) {
      boolean in = p[0] > box[0] && p[0] < box[1] && p[1] > box[2] && p[1] < box[3];
      inBox += in ? 1 : 0;
    }
    assertThat(text("deferred-count")).isEqualTo(Integer.toString(inBox));
  }

  @Test
  void phoneWidthHasNoHorizontalScroll() throws Exception {
    Dimension before = driver.manage().window().getSize();
    try {
      driver.manage().window().setSize(new Dimension(390, 900));
      for (String page :
          List.of("/ui/", "/ui/l2d.html", "/ui/dashboard.html", "/ui/explorer.html")) {
        driver.get(server.url(page));
        // Measured once style.css applies (main's max-width is set): one CI run measured the
        // dashboard unstyled, which overflows by the width of its bare table.
        new WebDriverWait(driver, Duration.ofSeconds(10))
            .withMessage(() -> page + ": style.css not applied; " + resources())
            .until(d -> !"none".equals(js(STYLED)));
        Number overflow =
            (Number)
                js(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow.intValue())
            .as("horizontal overflow of %s at 390 px: %s", page, js(WIDER_THAN_VIEWPORT))
            .isLessThanOrEqualTo(0);
      }
      open("/ui/l2d.html");
      screenshot("l2d-phone");
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  @Test
  void dashboardShowsTheFixedDashboard() throws Exception {
    driver.get(server.url("/ui/dashboard.html"));
    js("localStorage.clear();");
    driver.navigate().refresh();
    driver.findElement(By.id("api-key")).sendKeys("wrong-key");
    driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> d.findElement(By.id("status")).getText().contains("refused"));
    driver.findElement(By.id("api-key")).sendKeys(WebUiHarness.KEY);
    driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> d.findElement(By.id("policy-id")).getText().equals("p-7"));
    assertThat(text("policy-method")).isEqualTo("2s-comp:1");
    assertThat(text("live-outcomes")).isEqualTo("9");
    assertThat(percent(text("live-accuracy"))).isCloseTo(100 * 8 / 9.0, within(0.05 + 1e-9));
    assertThat(text("live-cost")).isEqualTo("0.123");
    List<WebElement> rows = driver.findElements(By.cssSelector("#agents-table tbody tr"));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(1).getText()).contains("gpt4").contains("4 / 10 per PT1H");
    assertThat(rows.get(2).getText()).contains("alice").contains("no");
    // Legend totals: the sums of the allocation buckets of the fixed JSON.
    assertThat(legend("#allocation-legend")).containsExactly("model: 15", "gpt4: 4", "alice: 1");
    assertThat(driver.findElements(By.cssSelector("#allocation-chart rect"))).hasSize(5);
    assertThat((String) js("return localStorage.getItem('defer4j.apiKey');"))
        .isEqualTo(WebUiHarness.KEY);
    screenshot("dashboard");
  }

  @Test
  void dashboardShowsTheRoutersOwnFigures(@TempDir Path data) throws Exception {
    try (RouterServer router =
        RouterServer.start(
            ServerConfig.builder().port(0).dataDir(data).set("log-requests", false).build(),
            Map.of())) {
      String key = router.adminKey();
      // Route 12 cases and report outcomes for 5 of them; count the chosen agents here.
      Map<String, Integer> chosen = new TreeMap<>();
      List<JsonNode> decisions = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        JsonNode d =
            call(
                router.url(),
                key,
                "POST",
                "/v1/route",
                "{\"text\": \"case " + i + ": what is " + (i * 7) + " plus " + (i + 3) + "?\"}");
        decisions.add(d);
        chosen.merge(d.get("agent").asText(), 1, Integer::sum);
      }
      for (int i = 0; i < 5; i++) {
        JsonNode d = decisions.get(i);
        boolean wrong = i < 2; // the chosen agent erred on two of the five
        StringBuilder costs = new StringBuilder();
        d.get("scores")
            .fieldNames()
            .forEachRemaining(
                a ->
                    costs
                        .append(costs.length() == 0 ? "" : ",")
                        .append('"')
                        .append(a)
                        .append("\":")
                        .append(
                            a.equals(d.get("agent").asText()) ? (wrong ? "1.0" : "0.0") : "0.5"));
        call(
            router.url(),
            key,
            "POST",
            "/v1/outcomes",
            "{\"decisionId\": \"" + d.get("id").asText() + "\", \"costs\": {" + costs + "}}");
      }
      // The store writes in groups: wait until the router's own dashboard counts every case.
      JsonNode dash = null;
      for (int t = 0; t < 100; t++) {
        dash = call(router.url(), key, "GET", "/v1/dashboard", null);
        int total = 0;
        for (JsonNode a : dash.get("agents")) {
          total += a.get("decisions").asInt();
        }
        if (total == 12 && dash.get("live").get("outcomes").asInt() == 5) {
          break;
        }
        Thread.sleep(100);
      }
      driver.get(router.url() + "/ui/dashboard.html");
      js("localStorage.setItem('defer4j.apiKey', arguments[0]);", key);
      driver.navigate().refresh();
      String policyId = dash.get("policy").get("id").asText();
      new WebDriverWait(driver, Duration.ofSeconds(15))
          .until(d -> d.findElement(By.id("policy-id")).getText().equals(policyId));
      assertThat(text("live-outcomes")).isEqualTo("5");
      JsonNode live = dash.get("live");
      if (live.get("accuracy").isNumber()) {
        assertThat(percent(text("live-accuracy")))
            .isCloseTo(100 * live.get("accuracy").asDouble(), within(0.05 + 1e-9));
      }
      if (live.get("meanCost").isNumber()) {
        assertThat(Double.parseDouble(text("live-cost")))
            .isCloseTo(live.get("meanCost").asDouble(), within(0.0005 + 1e-9));
      }
      // Per agent: the table's decisions and the legend's totals are the counts made here.
      for (Map.Entry<String, Integer> e : chosen.entrySet()) {
        WebElement row =
            driver.findElement(By.cssSelector("#agents-table tr[data-agent='" + e.getKey() + "']"));
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertThat(cells.get(4).getText())
            .as("decisions of %s", e.getKey())
            .isEqualTo(Integer.toString(e.getValue()));
        assertThat(legend("#allocation-legend")).contains(e.getKey() + ": " + e.getValue());
      }
      screenshot("dashboard-router");
      // The router's default policy reads text features: the explorer says why it cannot draw it.
      driver.get(router.url() + "/ui/explorer.html");
      new WebDriverWait(driver, Duration.ofSeconds(15))
          .until(d -> "true".equals(js("return document.body.dataset.ready || '';")));
      assertThat(text("explorer-message")).contains("cannot be drawn on a plane");
      screenshot("explorer-router");
    }
  }

  static JsonNode call(String base, String key, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key);
    b =
        body == null
            ? b.GET()
            : b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }

  @Test
  void explorerDrawsTheActivePolicy() throws Exception {
    server.policy.set(new RegionLearner(60, 3L).learn(PocketProblem.standard(), 0.25, 10).policy());
    try {
      JsonNode grid = getJson("/ui/api/policy/grid").get("grid");
      open("/ui/explorer.html");
      List<String> items = legend("#explorer-legend");
      assertThat(items).hasSize(2);
      for (int k = 0; k < 2; k++) {
        String share =
            String.format(Locale.ROOT, "%.1f %%", 100 * grid.get("shares").get(k).asDouble());
        assertThat(items.get(k)).startsWith(grid.get("agents").get(k).asText()).contains(share);
      }
      assertThat(driver.findElements(By.cssSelector("#explorer-plot rect"))).isNotEmpty();
      screenshot("explorer");
    } finally {
      server.policy.set(null);
    }
    open("/ui/explorer.html");
    assertThat(text("explorer-message")).contains("No policy is active");
  }

  // --- helpers ---

  /** main's computed max-width: "none" until the site's style sheet applies. */
  private static final String STYLED =
      "const m = document.querySelector('main'); return m ? getComputedStyle(m).maxWidth : 'none';";

  /** The elements whose right edge lies past the viewport, for a failure message. */
  private static final String WIDER_THAN_VIEWPORT =
      "const cw = document.documentElement.clientWidth; return Array.from(document.querySelectorAll("
          + "'body *')).filter(e => e.getBoundingClientRect().right > cw + 1).slice(0, 8).map(e =>"
          + " e.tagName + (e.id ? '#' + e.id : '') + ' right=' + Math.round("
          + "e.getBoundingClientRect().right)).join(', ');";

  /** The page's loaded resources with their HTTP statuses, for a failure message. */
  static Object resources() {
    return js(
        "return JSON.stringify(performance.getEntriesByType('resource').map(e =>"
            + " [e.name, e.responseStatus]));");
  }

  static void open(String path) {
    driver.get(server.url(path));
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> "true".equals(js("return document.body.dataset.ready || '';")));
  }

  static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  static String text(String id) {
    return driver.findElement(By.id(id)).getText().replace('\u00a0', ' ').trim();
  }

  static List<String> legend(String css) {
    return driver.findElements(By.cssSelector(css + " li")).stream()
        .map(e -> e.getText().replace('\u00a0', ' ').trim())
        .toList();
  }

  static double percent(String s) {
    assertThat(s).endsWith(" %");
    return Double.parseDouble(s.substring(0, s.length() - 2));
  }

  static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url(path))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static void draw(PointerInput.Kind kind, String name, List<int[]> stroke) {
    PointerInput pointer = new PointerInput(kind, name);
    Sequence s = new Sequence(pointer, 0);
    int[] first = stroke.get(0);
    s.addAction(
        pointer.createPointerMove(
            Duration.ZERO, PointerInput.Origin.viewport(), first[0], first[1]));
    s.addAction(pointer.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
    for (int k = 1; k <= stroke.size(); k++) {
      int[] v = stroke.get(k % stroke.size());
      s.addAction(
          pointer.createPointerMove(
              Duration.ofMillis(40), PointerInput.Origin.viewport(), v[0], v[1]));
    }
    s.addAction(pointer.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
    driver.perform(List.of(s));
  }

  /**
   * The stroke's vertices in whole pixels, each moved by a seeded offset of at most 0.03 (the first
   * try unmoved) until every point lies more than {@link #CLEARANCE_PX} from its edges.
   */
  static List<int[]> clearStroke(
      double[][] data, List<double[]> pixels, double left, double top, double w, double h) {
    SplittableRandom rng = new SplittableRandom(11L);
    for (int k = 0; k < 5000; k++) {
      double spread = k == 0 ? 0 : 0.03;
      double[][] moved = new double[data.length][];
      for (int i = 0; i < data.length; i++) {
        moved[i] =
            new double[] {
              data[i][0] + spread * (2 * rng.nextDouble() - 1),
              data[i][1] + spread * (2 * rng.nextDouble() - 1)
            };
      }
      List<int[]> stroke = toPixels(moved, left, top, w, h);
      boolean clear = true;
      for (double[] p : pixels) {
        clear &= distanceToPath(p[0], p[1], stroke) > CLEARANCE_PX;
      }
      if (clear) {
        return stroke;
      }
    }
    throw new AssertionError("no nearby stroke keeps every point clear of its edges");
  }

  static List<int[]> toPixels(double[][] data, double left, double top, double w, double h) {
    List<int[]> out = new ArrayList<>();
    for (double[] v : data) {
      out.add(
          new int[] {(int) Math.round(left + v[0] * w), (int) Math.round(top + (1 - v[1]) * h)});
    }
    return out;
  }

  static List<double[]> toData(List<int[]> px, double left, double top, double w, double h) {
    List<double[]> out = new ArrayList<>();
    for (int[] p : px) {
      out.add(new double[] {(p[0] - left) / w, 1 - (p[1] - top) / h});
    }
    return out;
  }

  /** Crossing-number test (even-odd rule) of a point against a closed polygon. */
  static boolean evenOdd(List<double[]> poly, double x, double y) {
    int crossings = 0;
    for (int k = 0; k < poly.size(); k++) {
      double[] a = poly.get(k);
      double[] c = poly.get((k + 1) % poly.size());
      boolean straddles = (a[1] <= y && c[1] > y) || (c[1] <= y && a[1] > y);
      if (straddles) {
        double xAtY = a[0] + (y - a[1]) / (c[1] - a[1]) * (c[0] - a[0]);
        if (xAtY > x) {
          crossings++;
        }
      }
    }
    return crossings % 2 == 1;
  }

  /** Smallest distance in pixels from (px, py) to the closed path's segments. */
  static double distanceToPath(double px, double py, List<int[]> path) {
    double best = Double.POSITIVE_INFINITY;
    for (int k = 0; k < path.size(); k++) {
      int[] a = path.get(k);
      int[] c = path.get((k + 1) % path.size());
      double dx = c[0] - a[0];
      double dy = c[1] - a[1];
      double t = ((px - a[0]) * dx + (py - a[1]) * dy) / (dx * dx + dy * dy);
      t = Math.max(0, Math.min(1, t));
      best = Math.min(best, Math.hypot(px - (a[0] + t * dx), py - (a[1] + t * dy)));
    }
    return best;
  }

  static void screenshot(String name) throws IOException {
    File f = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
