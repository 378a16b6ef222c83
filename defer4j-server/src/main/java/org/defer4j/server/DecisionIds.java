package org.defer4j.server;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decision ids: UUID version 7 (RFC 9562), time-ordered, so that the store's and the export's order
 * by id is the order in which one process made its decisions: 48 bits of Unix milliseconds, then a
 * 12-bit counter that keeps ids of the same millisecond increasing, then 62 random bits.
 */
final class DecisionIds {
  private static final AtomicLong LAST = new AtomicLong();

  private DecisionIds() {}

  static String next(long nowMillis) {
    // (ms << 12 | counter), strictly increasing in this process.
    long v = LAST.updateAndGet(prev -> Math.max(prev + 1, nowMillis << 12));
    long ms = v >>> 12;
    long counter = v & 0xFFF;
    long msb = (ms << 16) | 0x7000L | counter;
    long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
