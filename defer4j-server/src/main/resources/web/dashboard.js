// The router dashboard: reads GET /v1/dashboard with the Bearer key kept in localStorage.
"use strict";

(() => {
  const KEY = "defer4j.apiKey";
  const REFRESH_MS = 5000;
  const status = document.getElementById("status");
  const keyInput = document.getElementById("api-key");
  const colors = new Map();
  let timer = null;

  function colorOf(name) {
    if (!colors.has(name)) {
      colors.set(name, Defer4j.PALETTE[colors.size % Defer4j.PALETTE.length]);
    }
    return colors.get(name);
  }

  function text(id, v) {
    document.getElementById(id).textContent = v;
  }

  function when(iso) {
    if (!iso) {
      return "–";
    }
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
  }

  function renderPolicy(p) {
    text("policy-id", p && p.id ? p.id : "none");
    text("policy-method", p && p.method ? p.method : "–");
    text("policy-activated", p ? when(p.activatedAt) : "–");
  }

  function renderLive(l) {
    text("live-outcomes", l ? String(l.outcomes) : "–");
    text("live-accuracy", l ? Defer4j.pct(l.accuracy) : "–");
    text("live-cost", l ? Defer4j.num(l.meanCost, 3) : "–");
  }

  function renderAllocation(buckets, agents) {
    const chart = document.getElementById("allocation-chart");
    for (const el of Array.from(chart.querySelectorAll(":scope > :not(desc)"))) {
      el.remove();
    }
    const W = 960;
    const H = 220;
    const left = 40;
    const bottom = 24;
    const top = 8;
    const names = agents.map((a) => a.name);
    for (const b of buckets) {
      for (const n of Object.keys(b.counts || {})) {
        if (!names.includes(n)) {
          names.push(n);
        }
      }
    }
    const totals = buckets.map((b) => Object.values(b.counts || {}).reduce((s, v) => s + v, 0));
    const max = Math.max(1, ...totals);
    const slots = 60;
    const bw = (W - left - 4) / slots;
    const scale = (H - bottom - top) / max;
    // y axis: 0 and max
    Defer4j.svg("line", { x1: left, y1: H - bottom, x2: W - 2, y2: H - bottom, stroke: "#888" }, chart);
    for (const v of [0, max]) {
      Defer4j.svg("text", { x: left - 6, y: H - bottom - v * scale + 4, "text-anchor": "end", "font-size": 11, fill: "#4d5661" }, chart).textContent = String(v);
    }
    const offset = slots - buckets.length;
    buckets.forEach((b, k) => {
      let y = H - bottom;
      const x = left + (offset + k) * bw + 1;
      for (const n of names) {
        const c = (b.counts || {})[n] || 0;
        if (c > 0) {
          const h = c * scale;
          y -= h;
          const r = Defer4j.svg("rect", { x, y, width: Math.max(1, bw - 2), height: h, fill: colorOf(n) }, chart);
          Defer4j.svg("title", {}, r).textContent = `${b.start}: ${n} ${c}`;
        }
      }
    });
    if (buckets.length) {
      const first = new Date(buckets[0].start);
      const last = new Date(buckets[buckets.length - 1].start);
      const fmt = (d) => (Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
      Defer4j.svg("text", { x: left + offset * bw, y: H - 6, "font-size": 11, fill: "#4d5661" }, chart).textContent = fmt(first);
      Defer4j.svg("text", { x: W - 4, y: H - 6, "text-anchor": "end", "font-size": 11, fill: "#4d5661" }, chart).textContent = fmt(last);
    } else {
      Defer4j.svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", "font-size": 14, fill: "#4d5661" }, chart).textContent = "No decisions in the last 60 minutes";
    }
    const legend = document.getElementById("allocation-legend");
    Defer4j.clear(legend);
    names.forEach((n, i) => {
      const li = document.createElement("li");
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = colorOf(n);
      li.append(sw, `${n}: ${buckets.reduce((s, b) => s + ((b.counts || {})[n] || 0), 0)}`);
      li.dataset.agent = n;
      legend.appendChild(li);
    });
  }

  function renderAgents(agents) {
    const body = document.querySelector("#agents-table tbody");
    Defer4j.clear(body);
    for (const a of agents) {
      const tr = document.createElement("tr");
      tr.dataset.agent = a.name;
      const cap = a.capacity === null || a.capacity === undefined ? null : a.capacity;
      const cells = [
        a.name,
        a.available ? "yes" : "no",
        Defer4j.num(a.fee, 2),
        cap === null ? `${a.used} / unlimited` : `${a.used} / ${cap}${a.period ? " per " + a.period : ""}`,
        null,
        String(a.decisions),
        `${Defer4j.pct(a.realisedShare)}${a.targetShare === null || a.targetShare === undefined ? "" : " (" + Defer4j.pct(a.targetShare) + ")"}`,
      ];
      cells.forEach((c, i) => {
        const td = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) {
          td.scope = "row";
        }
        if (i === 4) {
          const track = document.createElement("div");
          track.className = "bar-track";
          track.setAttribute("role", "meter");
          track.setAttribute("aria-label", `${a.name} load`);
          const fill = document.createElement("div");
          fill.className = "bar-fill";
          if (cap !== null && cap > 0) {
            const f = a.used / cap;
            fill.style.width = `${Math.min(100, 100 * f)}%`;
            fill.classList.toggle("over", f >= 1);
            track.setAttribute("aria-valuemin", "0");
            track.setAttribute("aria-valuemax", String(cap));
            track.setAttribute("aria-valuenow", String(a.used));
          } else {
            fill.style.width = "0";
            track.setAttribute("aria-valuetext", "no capacity limit");
          }
          track.appendChild(fill);
          td.appendChild(track);
        } else {
          td.textContent = c;
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
  }

  async function refresh() {
    const key = localStorage.getItem(KEY);
    if (!key) {
      Defer4j.showMessage(status, "Paste an API key to see the dashboard.", "warn");
      return;
    }
    try {
      const d = await Defer4j.fetchJson("/v1/dashboard", { headers: { Authorization: "Bearer " + key } });
      (d.agents || []).forEach((a) => colorOf(a.name));
      renderPolicy(d.policy);
      renderLive(d.live);
      renderAllocation(d.allocation || [], d.agents || []);
      renderAgents(d.agents || []);
      Defer4j.showMessage(status, "", "warn");
      document.body.dataset.updated = new Date().toISOString();
    } catch (e) {
      const why = e.status === 401 || e.status === 403
        ? "The server refused this key (HTTP " + e.status + "): " + e.message
        : "The dashboard could not be loaded: " + e.message;
      Defer4j.showMessage(status, why, "error");
    }
  }

  function schedule() {
    if (timer) {
      clearInterval(timer);
      timer = null;
    }
    if (document.getElementById("auto-refresh").checked) {
      timer = setInterval(refresh, REFRESH_MS);
    }
  }

  document.getElementById("key-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const k = keyInput.value.trim();
    if (k) {
      localStorage.setItem(KEY, k);
    }
    keyInput.value = "";
    keyInput.placeholder = k ? "key saved" : keyInput.placeholder;
    refresh();
  });
  document.getElementById("forget-key").addEventListener("click", () => {
    localStorage.removeItem(KEY);
    keyInput.placeholder = "";
    refresh();
  });
  document.getElementById("auto-refresh").addEventListener("change", schedule);
  if (localStorage.getItem(KEY)) {
    keyInput.placeholder = "key saved";
  }
  refresh();
  schedule();
})();
