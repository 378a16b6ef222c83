/**
 * Reading and writing the product's input formats (DESIGN.md §4): task specs in YAML ({@link
 * org.defer4j.io.TaskSpecIo}) and deferral tables in CSV or Parquet ({@link
 * org.defer4j.io.DeferralTableReader}, {@link org.defer4j.io.DeferralTableWriter}), through an
 * in-memory DuckDB. Malformed input fails with a message naming the file and the key path, or the
 * file, row and column ({@link org.defer4j.io.TaskSpecFormatException}, {@link
 * org.defer4j.io.TableFormatException}); nothing is dropped or imputed.
 */
package org.defer4j.io;
