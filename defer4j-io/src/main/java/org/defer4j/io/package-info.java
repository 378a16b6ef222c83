/** Reading and writing deferral tables (CSV, Parquet), task specs (YAML) and artifacts. */
package org.defer4j.io;
