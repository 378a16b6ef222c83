// The policy explorer: draws GET /ui/api/policy/grid, the active policy's choice per grid cell.
"use strict";

(() => {
  const SIZE = 400;
  const plot = document.getElementById("explorer-plot");
  const msg = document.getElementById("explorer-message");
  const form = document.getElementById("view-form");

  function draw(body) {
    const g = body.grid;
    for (const el of Array.from(plot.querySelectorAll(":scope > :not(title)"))) {
      el.remove();
    }
    const cell = SIZE / g.size;
    const layer = Defer4j.svg("g", { "aria-hidden": "true" }, plot);
    for (let j = 0; j < g.size; j++) {
      let i = 0;
      while (i < g.size) {
        const a = g.chosen[j * g.size + i];
        const start = i;
        while (i < g.size && g.chosen[j * g.size + i] === a) {
          i++;
        }
        Defer4j.svg("rect", {
          x: start * cell, y: SIZE - (j + 1) * cell, width: (i - start) * cell + 0.3, height: cell + 0.3,
          fill: Defer4j.PALETTE[a % Defer4j.PALETTE.length],
        }, layer);
      }
    }
    const b = g.bounds;
    document.getElementById("axes").textContent =
      `Horizontal: ${g.features[0]} from ${Defer4j.num(b.xmin, 3)} to ${Defer4j.num(b.xmax, 3)}; ` +
      `vertical: ${g.features[1]} from ${Defer4j.num(b.ymin, 3)} to ${Defer4j.num(b.ymax, 3)}.`;
    const legend = document.getElementById("explorer-legend");
    Defer4j.clear(legend);
    g.agents.forEach((name, k) => {
      const li = document.createElement("li");
      li.dataset.agent = name;
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = Defer4j.PALETTE[k % Defer4j.PALETTE.length];
      li.append(sw, `${name} (${k === 0 ? "the model" : "expert"}): ${Defer4j.pct(g.shares[k])} of the view`);
      legend.appendChild(li);
    });
    for (const [id, v] of [["xmin", b.xmin], ["xmax", b.xmax], ["ymin", b.ymin], ["ymax", b.ymax]]) {
      document.getElementById(id).value = String(Number(v.toPrecision(6)));
    }
    document.getElementById("size").value = String(g.size);
  }

  async function load(query) {
    let body;
    try {
      body = await Defer4j.fetchJson("api/policy/grid" + (query ? "?" + query : ""));
    } catch (e) {
      Defer4j.showMessage(msg, e.status === 404 ? "No policy is active: " + e.message
        : "The policy could not be drawn: " + e.message, e.status === 404 ? "warn" : "error");
      document.body.dataset.ready = "true";
      return;
    }
    document.getElementById("policy-line").textContent =
      `Policy ${body.policy.name} (${body.policy.method}), agents ${body.agents.join(", ")}, ` +
      `inputs ${body.features.join(", ") || "none"}.`;
    if (!body.plottable) {
      Defer4j.showMessage(msg, "This policy cannot be drawn on a plane: " + body.reason + ".", "warn");
      form.hidden = true;
      plot.parentElement.hidden = true;
    } else {
      Defer4j.showMessage(msg, "", "warn");
      draw(body);
    }
    document.body.dataset.ready = "true";
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const id of ["xmin", "xmax", "ymin", "ymax", "size"]) {
      const v = document.getElementById(id).value.trim();
      if (v) {
        q.set(id, v);
      }
    }
    load(q.toString());
  });
  load("");
})();
