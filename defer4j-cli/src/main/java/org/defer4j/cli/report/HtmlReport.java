package org.defer4j.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML report: headings, paragraphs, tables and PNG charts embedded as data URIs,
 * so that the one file can be mailed or archived.
 */
public final class HtmlReport {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  /** A report with a title. */
  public HtmlReport(String title) {
    this.title = title;
  }

  /** Adds a section heading. */
  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  /** Adds a paragraph of plain text. */
  public HtmlReport paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** Adds a table; cells are plain text. */
  public HtmlReport table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    for (String h : header) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (String c : row) {
        body.append("<td>").append(escape(c)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** Embeds a PNG image with alternative text. */
  public HtmlReport image(byte[] png, String alt) {
    body.append("<figure><img alt=\"")
        .append(escape(alt))
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png))
        .append("\"><figcaption>")
        .append(escape(alt))
        .append("</figcaption></figure>\n");
    return this;
  }

  /** The complete HTML document. */
  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title>\n<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
        + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
        + "figure{margin:1em 0}figcaption{color:#666;font-size:90%}</style></head><body>\n<h1>"
        + escape(title)
        + "</h1>\n<p class=\"meta\">defer4j report, "
        + Instant.now()
        + "</p>\n"
        + body
        + "</body></html>\n";
  }

  /** Writes the document to a file, creating parent folders. */
  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html(), StandardCharsets.UTF_8);
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
