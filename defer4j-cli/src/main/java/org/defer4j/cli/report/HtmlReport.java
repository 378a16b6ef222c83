package org.defer4j.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML report: headings, paragraphs, call-outs, tables and PNG charts embedded as
 * data URIs, with inline styles and system fonts only, so that the one file opens offline and can
 * be mailed or archived. A report holds one {@link Charts.Palette}, so that a name has one colour
 * in every chart of it.
 */
public final class HtmlReport {
  private final StringBuilder body = new StringBuilder();
  private final String title;
  private final Charts.Palette palette = new Charts.Palette();

  /** A report with a title. */
  public HtmlReport(String title) {
    this.title = title;
  }

  /** Adds a section heading. */
  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  /** Adds a subsection heading. */
  public HtmlReport subheading(String text) {
    body.append("<h3>").append(escape(text)).append("</h3>\n");
    return this;
  }

  /** The report's palette: every chart of the report takes its colours from it. */
  public Charts.Palette palette() {
    return palette;
  }

  /** Adds a note the reader must not miss (shown in a box, prefixed "Note:"). */
  public HtmlReport note(String text) {
    body.append("<p class=\"note\"><strong>Note:</strong> ").append(escape(text)).append("</p>\n");
    return this;
  }

  /** Adds a warning (shown in a box, prefixed "Warning:"). */
  public HtmlReport warning(String text) {
    body.append("<p class=\"warning\"><strong>Warning:</strong> ")
        .append(escape(text))
        .append("</p>\n");
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

  /**
   * Adds a table folded under a one-line summary (an HTML {@code <details>} element: no script),
   * for long tables a reader opens on demand.
   */
  public HtmlReport foldedTable(String summary, List<String> header, List<List<String>> rows) {
    body.append("<details><summary>").append(escape(summary)).append("</summary>\n");
    table(header, rows);
    body.append("</details>\n");
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

  /**
   * Embeds a PNG chart with alternative text and, under it, a one-line "How to read this"
   * paragraph.
   */
  public HtmlReport figure(byte[] png, String alt, String howToRead) {
    image(png, alt);
    body.append("<p class=\"how\"><strong>How to read this:</strong> ")
        .append(escape(howToRead))
        .append("</p>\n");
    return this;
  }

  /** The complete HTML document. */
  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
        + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
        + "figure{margin:1em 0 0.3em}figcaption{color:#666;font-size:90%}"
        + "img{max-width:100%;height:auto}h3{margin-top:1.6em}td{white-space:nowrap}"
        + "details{margin:1em 0}summary{cursor:pointer;color:#245}"
        + ".how{color:#444;font-size:92%;margin-top:0}"
        + ".note{background:#fff6d6;border-left:5px solid #e0a800;padding:0.6em 0.9em}"
        + ".warning{background:#fde8e8;border-left:5px solid #c62828;padding:0.6em 0.9em}"
        + "</style></head><body>\n<h1>"
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
