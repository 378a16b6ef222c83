/** The {@code defer4j} command: one picocli sub-command per job of a deferral workflow. */
package org.defer4j.cli;
