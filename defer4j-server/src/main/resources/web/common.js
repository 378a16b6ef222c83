// Shared helpers of the defer4j web UI pages (plain JavaScript, no libraries).
"use strict";

const Defer4j = (() => {
  const SVG_NS = "http://www.w3.org/2000/svg";

  /** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. */
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];

  function svg(tag, attrs, parent) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      el.setAttribute(k, String(v));
    }
    if (parent) {
      parent.appendChild(el);
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
  }

  function pct(v, digits) {
    if (v === null || v === undefined || !Number.isFinite(v)) {
      return "–";
    }
    return (100 * v).toFixed(digits === undefined ? 1 : digits) + "\u00a0%";
  }

  function num(v, digits) {
    if (v === null || v === undefined || !Number.isFinite(v)) {
      return "–";
    }
    return v.toFixed(digits === undefined ? 3 : digits);
  }

  /** Fetches JSON; rejects with an Error whose message is the server's {"error"} or the status. */
  async function fetchJson(url, options) {
    let res;
    try {
      res = await fetch(url, options);
    } catch (e) {
      throw new Error("the server could not be reached (" + e.message + ")");
    }
    let body = null;
    const text = await res.text();
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const err = new Error(body && body.error ? body.error : "HTTP " + res.status);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  function showMessage(el, text, kind) {
    el.textContent = text;
    el.className = "message " + (kind || "warn");
    el.hidden = !text;
  }

  return { svg, clear, pct, num, fetchJson, showMessage, PALETTE };
})();
