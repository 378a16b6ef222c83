package org.defer4j.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the header record of a CSV file: comma-separated, {@code "}-quoted, RFC 4180. */
final class CsvHeader {
  private CsvHeader() {}

  /**
   * The column names of the first record, or {@code null} for an empty file. A UTF-8 byte order
   * mark is skipped; a quoted name may hold commas, doubled quotes and line breaks.
   *
   * @throws TableFormatException when the file cannot be read or a quote is not closed
   */
  static List<String> read(Path path, boolean gzip, String file) {
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      int c = r.read();
      if (c == 0xFEFF) {
        c = r.read();
      }
      if (c == -1) {
        return null;
      }
      List<String> names = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      while (true) {
        if (quoted) {
          if (c == -1) {
            throw new TableFormatException(file, 0, null, "the header has an unclosed quote");
          }
          if (c == '"') {
            int next = r.read();
            if (next == '"') {
              cell.append('"');
            } else {
              quoted = false;
              c = next;
              continue;
            }
          } else {
            cell.append((char) c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          names.add(cell.toString());
          cell.setLength(0);
        } else if (c == '\n' || c == '\r' || c == -1) {
          names.add(cell.toString());
          return names;
        } else {
          cell.append((char) c);
        }
        c = r.read();
      }
    } catch (IOException e) {
      throw new TableFormatException(file, 0, null, "cannot read the table: " + e.getMessage(), e);
    }
  }
}
