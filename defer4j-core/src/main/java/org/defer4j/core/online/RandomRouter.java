package org.defer4j.core.online;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.policy.Decision;

/**
 * Chooses uniformly among the available agents; learns nothing. The floor every method must beat.
 */
public final class RandomRouter implements OnlineRouter {
  private final long seed;
  private SplittableRandom random;
  private int rounds;

  /**
   * @param seed the sampler's seed
   */
  public RandomRouter(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public Decision decide(OnlineRound round) {
    int[] avail = round.availableIndices();
    int pick = avail[random.nextInt(avail.length)];
    return RoundDecisions.of(
        round, pick, RoundDecisions.nan(round), RoundDecisions.nan(round), true);
  }

  @Override
  public void update(OnlineRound round, Decision decision, List<Outcome> revealed) {
    rounds++;
  }

  @Override
  public void restore(OnlineState snapshot) {
    Snapshots.checkMethod(snapshot, name());
    rounds = snapshot.rounds();
    random = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * rounds);
  }

  @Override
  public OnlineState state() {
    return new OnlineState(name(), rounds, Map.of(), Map.of());
  }
}
