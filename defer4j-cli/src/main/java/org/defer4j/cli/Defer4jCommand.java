package org.defer4j.cli;

public class Defer4jCommand {
  public static void main(String[] args) {}
}
