/**
 * The code that derives the bundled deferral tables in {@code datasets/} from the raw public data
 * sets, so that every bundled file can be rebuilt and checked.
 */
package org.defer4j.cli.datasets;
