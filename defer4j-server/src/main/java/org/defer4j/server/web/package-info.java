/**
 * The router's web UI, mounted under {@code /ui/}: a dashboard over {@code GET /v1/dashboard}, a
 * policy explorer that draws the active policy's deferral regions on 2-D inputs, and an interactive
 * page where a user draws a deferral region by hand and compares it with the one defer4j learns.
 * Plain HTML, CSS and JavaScript from the jar (no external scripts); the pages' own JSON endpoints
 * live under {@code /ui/api/}.
 */
package org.defer4j.server.web;
