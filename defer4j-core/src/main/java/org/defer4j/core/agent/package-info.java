/** Agents: the model (index 0) and the experts (1..J) with their consultation fees. */
package org.defer4j.core.agent;
