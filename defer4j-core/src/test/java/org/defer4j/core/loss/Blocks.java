package org.defer4j.core.loss;

import java.util.stream.IntStream;

/** Index blocks for {@link SurrogateContract#zeroSumBlocks}. */
final class Blocks {
  private Blocks() {}

  static int[][] all(Cases.Case c) {
    return new int[][] {IntStream.range(0, c.scores().length).toArray()};
  }

  static int[][] range(int from, int to) {
    return new int[][] {IntStream.range(from, to).toArray()};
  }
}
