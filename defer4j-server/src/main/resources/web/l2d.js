// The interactive deferral page: the user draws regions (Pointer Events: mouse, touch, pen) and
// sees which points they defer; defer4j learns its own region on the same points.
//
// Geometry: both plots have viewBox 0 0 400 400 and show the unit square, data (x, y) at
// (400 x, 400 (1 - y)). A pointer at (clientX, clientY) over an element with bounding box r is the
// data point ((clientX - r.left) / r.width, 1 - (clientY - r.top) / r.height). A stroke is closed
// into a polygon; a point is deferred when it lies inside any polygon (even-odd rule per polygon).
"use strict";

(() => {
  const SIZE = 400;
  const MIN_STEP = 1.5 / SIZE; // ignore moves shorter than 1.5 view units
  const drawPlot = document.getElementById("draw-plot");
  const learnedPlot = document.getElementById("learned-plot");
  const state = { points: [], classifier: null, regions: [], stroke: null, learned: null };
  let pointLayer;
  let regionLayer;
  let strokeEl;

  const sx = (x) => x * SIZE;
  const sy = (y) => (1 - y) * SIZE;

  function classify(p) {
    const c = state.classifier;
    return c.w[0] * p.x + c.w[1] * p.y + c.b > 0 ? 1 : 0;
  }

  /** Even-odd ray casting: whether (x, y) lies inside the polygon [[x, y], ...]. */
  function inside(poly, x, y) {
    let odd = false;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i];
      const [xj, yj] = poly[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
        odd = !odd;
      }
    }
    return odd;
  }

  function deferredFlags() {
    const polys = state.regions.slice();
    if (state.stroke && state.stroke.length >= 3) {
      polys.push(state.stroke);
    }
    return state.points.map((p) => polys.some((poly) => inside(poly, p.x, p.y)));
  }

  function readout(flags) {
    let kept = 0;
    let correct = 0;
    flags.forEach((d, i) => {
      if (!d) {
        kept++;
        const p = state.points[i];
        if (classify(p) === p.label) {
          correct++;
        }
      }
    });
    const n = state.points.length;
    return {
      deferred: n - kept,
      coverage: n ? kept / n : null,
      accuracy: kept ? correct / kept : null,
    };
  }

  function drawBoundary(plot) {
    // w0 x + w1 y + b = 0 clipped to the unit square.
    const c = state.classifier;
    const pts = [];
    if (Math.abs(c.w[1]) > 1e-12) {
      for (const x of [0, 1]) {
        pts.push([x, -(c.w[0] * x + c.b) / c.w[1]]);
      }
    }
    if (Math.abs(c.w[0]) > 1e-12) {
      for (const y of [0, 1]) {
        pts.push([-(c.w[1] * y + c.b) / c.w[0], y]);
      }
    }
    const onSquare = pts.filter(([x, y]) => x >= -1e-9 && x <= 1 + 1e-9 && y >= -1e-9 && y <= 1 + 1e-9);
    if (onSquare.length >= 2) {
      const [a, b] = onSquare;
      Defer4j.svg("line", {
        x1: sx(a[0]), y1: sy(a[1]), x2: sx(b[0]), y2: sy(b[1]),
        stroke: "#555", "stroke-width": 2, "stroke-dasharray": "6 4", "pointer-events": "none",
      }, plot);
    }
  }

  function drawPoints(layer, flags) {
    Defer4j.clear(layer);
    state.points.forEach((p, i) => {
      const color = flags && flags[i] ? "#d55e00" : null;
      if (p.label === 0) {
        Defer4j.svg("circle", {
          cx: sx(p.x), cy: sy(p.y), r: 4.5, fill: color || "none",
          stroke: color || "#0072B2", "stroke-width": 1.8,
        }, layer);
      } else {
        const x = sx(p.x);
        const y = sy(p.y);
        Defer4j.svg("path", {
          d: `M${x - 4} ${y - 4}L${x + 4} ${y + 4}M${x + 4} ${y - 4}L${x - 4} ${y + 4}`,
          stroke: color || "#1b1f24", "stroke-width": color ? 2.6 : 1.8,
        }, layer);
      }
    });
  }

  function polygonPoints(poly) {
    return poly.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
  }

  function drawRegions() {
    Defer4j.clear(regionLayer);
    for (const poly of state.regions) {
      Defer4j.svg("polygon", {
        points: polygonPoints(poly), fill: "rgba(213,94,0,0.18)", stroke: "#d55e00",
        "stroke-width": 1.5, "fill-rule": "evenodd",
      }, regionLayer);
    }
  }

  function setCells(id, r) {
    document.getElementById(id + "-deferred").textContent = String(r.deferred);
    document.getElementById(id + "-coverage").textContent = Defer4j.pct(r.coverage);
    document.getElementById(id + "-accuracy").textContent = Defer4j.pct(r.accuracy);
  }

  function update() {
    const flags = deferredFlags();
    const r = readout(flags);
    document.getElementById("deferred-count").textContent = String(r.deferred);
    document.getElementById("point-count").textContent = String(state.points.length);
    document.getElementById("coverage").textContent = Defer4j.pct(r.coverage);
    document.getElementById("accuracy").textContent = Defer4j.pct(r.accuracy);
    setCells("yours", r);
    drawPoints(pointLayer, flags);
  }

  function toData(ev) {
    const r = drawPlot.getBoundingClientRect();
    const x = (ev.clientX - r.left) / r.width;
    const y = 1 - (ev.clientY - r.top) / r.height;
    return [Math.min(1, Math.max(0, x)), Math.min(1, Math.max(0, y))];
  }

  function onDown(ev) {
    if (ev.button !== undefined && ev.button > 0) {
      return;
    }
    ev.preventDefault();
    drawPlot.setPointerCapture(ev.pointerId);
    state.stroke = [toData(ev)];
    strokeEl = Defer4j.svg("polyline", {
      points: polygonPoints(state.stroke), fill: "rgba(213,94,0,0.12)", stroke: "#d55e00",
      "stroke-width": 2, "stroke-linejoin": "round",
    }, regionLayer);
    update();
  }

  function onMove(ev) {
    if (!state.stroke) {
      return;
    }
    ev.preventDefault();
    const events = typeof ev.getCoalescedEvents === "function" ? ev.getCoalescedEvents() : [];
    for (const e of events.length ? events : [ev]) {
      const p = toData(e);
      const last = state.stroke[state.stroke.length - 1];
      if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= MIN_STEP) {
        state.stroke.push(p);
      }
    }
    strokeEl.setAttribute("points", polygonPoints(state.stroke));
    update();
  }

  function onUp(ev) {
    if (!state.stroke) {
      return;
    }
    const p = toData(ev);
    const last = state.stroke[state.stroke.length - 1];
    if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= MIN_STEP) {
      state.stroke.push(p);
    }
    if (state.stroke.length >= 3) {
      state.regions.push(state.stroke);
    }
    state.stroke = null;
    drawRegions();
    update();
  }

  function drawLearned(body) {
    Defer4j.clear(learnedPlot);
    Defer4j.svg("title", { id: "learned-plot-title" }, learnedPlot).textContent =
      "The same points with the region defer4j learned";
    const g = body.grid;
    const cell = SIZE / g.size;
    const cells = Defer4j.svg("g", { "aria-hidden": "true" }, learnedPlot);
    // One rectangle per run of deferred cells in a row (row j counts from the bottom).
    for (let j = 0; j < g.size; j++) {
      let i = 0;
      while (i < g.size) {
        if (g.chosen[j * g.size + i] === 0) {
          i++;
          continue;
        }
        const start = i;
        while (i < g.size && g.chosen[j * g.size + i] !== 0) {
          i++;
        }
        Defer4j.svg("rect", {
          x: start * cell, y: SIZE - (j + 1) * cell, width: (i - start) * cell + 0.3, height: cell + 0.3,
          fill: "rgba(0,114,178,0.22)",
        }, cells);
      }
    }
    drawBoundary(learnedPlot);
    const layer = Defer4j.svg("g", { "pointer-events": "none" }, learnedPlot);
    drawPoints(layer, body.deferred);
    const r = body.readout;
    document.getElementById("learned-readout").innerHTML = "";
    document.getElementById("learned-readout").append(
      "Deferred ", strong(String(r.deferred), "learned-deferred-count"), ` of ${r.points} points · coverage `,
      strong(Defer4j.pct(r.coverage), "learned-coverage-value"), " · accuracy ",
      strong(Defer4j.pct(r.accuracy), "learned-accuracy-value"),
      ` (${body.policy.method}, ${body.policy.epochs} epochs, ${body.trainMillis} ms)`);
    setCells("learned", r);
  }

  function strong(text, id) {
    const s = document.createElement("strong");
    s.id = id;
    s.textContent = text;
    return s;
  }

  async function learn(ev) {
    ev.preventDefault();
    const msg = document.getElementById("learn-message");
    const button = document.getElementById("learn");
    const cost = Number(document.getElementById("cost").value);
    if (!(cost > 0 && cost < 1)) {
      Defer4j.showMessage(msg, "The cost of deferring must be a number between 0 and 1.", "error");
      return;
    }
    Defer4j.showMessage(msg, "Training…", "warn");
    button.disabled = true;
    try {
      const body = await Defer4j.fetchJson("api/l2d/learn", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ points: state.points, deferralCost: cost }),
      });
      drawLearned(body);
      Defer4j.showMessage(msg, "", "warn");
    } catch (e) {
      Defer4j.showMessage(msg, "defer4j could not learn a region: " + e.message, "error");
    } finally {
      button.disabled = false;
    }
  }

  async function start() {
    const msg = document.getElementById("learn-message");
    let body;
    try {
      body = await Defer4j.fetchJson("api/l2d/problem");
    } catch (e) {
      Defer4j.showMessage(msg, "The points could not be loaded: " + e.message, "error");
      return;
    }
    state.points = body.points;
    state.classifier = body.classifier;
    document.getElementById("cost").value = String(body.deferralCost);
    regionLayer = Defer4j.svg("g", {}, drawPlot);
    drawBoundary(drawPlot);
    pointLayer = Defer4j.svg("g", { "pointer-events": "none" }, drawPlot);
    setCells("none", readout(state.points.map(() => false)));
    drawPoints(Defer4j.svg("g", { "pointer-events": "none" }, learnedPlot), null);
    drawBoundary(learnedPlot);
    drawPlot.addEventListener("pointerdown", onDown);
    drawPlot.addEventListener("pointermove", onMove);
    drawPlot.addEventListener("pointerup", onUp);
    drawPlot.addEventListener("pointercancel", onUp);
    document.getElementById("undo").addEventListener("click", () => {
      state.regions.pop();
      drawRegions();
      update();
    });
    document.getElementById("clear").addEventListener("click", () => {
      state.regions = [];
      drawRegions();
      update();
    });
    document.getElementById("learn-form").addEventListener("submit", learn);
    document.getElementById("rect-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = ["rect-x0", "rect-x1", "rect-y0", "rect-y1"].map((id) => Number(document.getElementById(id).value));
      const msg = document.getElementById("rect-message");
      if (!v.every((n) => Number.isFinite(n) && n >= 0 && n <= 1) || !(v[0] < v[1]) || !(v[2] < v[3])) {
        Defer4j.showMessage(msg, "Give numbers in [0, 1] with 'from' below 'to' on each axis.", "error");
        return;
      }
      Defer4j.showMessage(msg, "", "warn");
      state.regions.push([[v[0], v[2]], [v[1], v[2]], [v[1], v[3]], [v[0], v[3]]]);
      drawRegions();
      update();
    });
    update();
    document.body.dataset.ready = "true";
  }

  start();
})();
