/**
 * The router service: deferral decisions over HTTP ({@code /v1/route}), outcomes, the expert
 * registry with live budgets, policies with rollback, a durable store and a web UI.
 */
package org.defer4j.server;
