package org.defer4j.io;

/**
 * A deferral table that breaks the data contract of DESIGN.md §4: a missing or unknown column, an
 * empty label, a label outside the classes, a cell that is not a finite number, a value out of
 * range.
 *
 * <p>The message names the file, the 1-based data row (the header is not counted) and the column,
 * e.g. {@code "data.csv: row 17, column m.alice.y: class 'cat' is not one of [hate, offensive,
 * neither]"}. A problem with a whole column (one that is missing, unknown or badly named) has row
 * 0; a problem with the whole file (unreadable, not a table) has row 0 and no column.
 */
public final class TableFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long row;
  private final String column;

  /**
   * @param file the file, as the caller named it
   * @param row the 1-based data row, or 0 when the problem is not in one row
   * @param column the column, or {@code null} when the problem is not in one column
   * @param detail what is wrong, naming the offending value and what was expected
   */
  public TableFormatException(String file, long row, String column, String detail) {
    super(format(file, row, column, detail));
    this.file = file;
    this.row = row;
    this.column = column;
  }

  TableFormatException(String file, long row, String column, String detail, Throwable cause) {
    this(file, row, column, detail);
    initCause(cause);
  }

  private static String format(String file, long row, String column, String detail) {
    StringBuilder sb = new StringBuilder(file).append(": ");
    if (row > 0) {
      sb.append("row ").append(row).append(column == null ? ": " : ", ");
    }
    if (column != null) {
      sb.append("column ").append(column).append(": ");
    }
    return sb.append(detail).toString();
  }

  /** The file the table was read from. */
  public String file() {
    return file;
  }

  /** The 1-based data row, or 0 when the problem concerns a whole column or the whole file. */
  public long row() {
    return row;
  }

  /** The column, or {@code null} when the problem concerns the whole file. */
  public String column() {
    return column;
  }
}
