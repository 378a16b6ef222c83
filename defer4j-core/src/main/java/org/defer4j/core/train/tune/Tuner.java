package org.defer4j.core.train.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded random search over the hyperparameters of deferral training, scored on the validation
 * system cost (the target deferral loss, survey eq. 15), in the spirit of the hyperparameter loop
 * of the L2D research code but with the model selection on a validation table only.
 *
 * <p>The method's parameter, when it has one ({@link MethodParameter}), is drawn in about half the
 * trials; the others keep the method as given. Trial 0 is the starting setting (the user's options,
 * or the defaults), so the winner is never worse on validation than training once without the
 * search. Trial i ≥ 1 draws its setting from {@link SearchSpace} with a {@link SplittableRandom}
 * seeded by the search's seed and i alone, so a trial's setting depends neither on the number of
 * trials nor on the threads; each trial's fit uses the same training seed (the caller's), so trials
 * differ only in their hyperparameters and the winner is exactly what one {@code train} run with
 * its setting gives. The trials run on a pool of {@link Options#threads()} threads; the results,
 * the winner and its policy are the same for every thread count. The winner is the trial of least
 * validation cost, the lower index on a tie.
 */
public final class Tuner {
  private static final Logger LOG = LoggerFactory.getLogger(Tuner.class);

  /** Fits the policy of one trial's setting; called from the pool's threads. */
  @FunctionalInterface
  public interface TrialFit {
    /** The policy trained with {@code setting}. */
    LearnedPolicy fit(TrialSetting setting);
  }

  /** Receives each finished trial, from the thread that ran it, in completion order. */
  @FunctionalInterface
  public interface Listener {
    /** No progress. */
    Listener NONE = (t, done, total) -> {};

    /**
     * @param trial the finished trial
     * @param done trials finished so far, this one included
     * @param total trials in the search
     */
    void onTrial(Trial trial, int done, int total);
  }

  /**
   * How to search.
   *
   * @param trials the number of trials, trial 0 included, ≥ 1
   * @param seed the seed of the settings drawn
   * @param threads the pool size, ≥ 1
   * @param space where settings are drawn from
   */
  public record Options(int trials, long seed, int threads, SearchSpace space) {
    /** Validates. */
    public Options {
      if (trials < 1) {
        throw new IllegalArgumentException("tuning needs at least 1 trial, got " + trials);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("tuning needs at least 1 thread, got " + threads);
      }
      if (space == null) {
        throw new IllegalArgumentException("tuning needs a search space");
      }
    }

    /** {@code trials} trials, seed 0, one thread per core, {@link SearchSpace#defaults()}. */
    public static Options defaults(int trials) {
      return new Options(
          trials, 0L, Runtime.getRuntime().availableProcessors(), SearchSpace.defaults());
    }

    /** A copy with another seed. */
    public Options withSeed(long s) {
      return new Options(trials, s, threads, space);
    }

    /** A copy with another pool size. */
    public Options withThreads(int t) {
      return new Options(trials, seed, t, space);
    }
  }

  private final Options options;

  /** A tuner with the given options. */
  public Tuner(Options options) {
    if (options == null) {
      throw new IllegalArgumentException("tuning options must be given");
    }
    this.options = options;
  }

  /**
   * The settings the search tries, in trial order.
   *
   * @param start trial 0; its method's parameter, if the method has one and the space tunes it, is
   *     drawn in the other trials
   * @param mlp whether the scorer is an MLP (then the hidden width is drawn)
   */
  public List<TrialSetting> settings(TrialSetting start, boolean mlp) {
    SearchSpace sp = options.space();
    Optional<MethodParameter> param =
        sp.methodParameter() ? MethodParameter.of(start.method()) : Optional.empty();
    List<TrialSetting> out = new ArrayList<>();
    out.add(start);
    for (int i = 1; i < options.trials(); i++) {
      SplittableRandom rng =
          new SplittableRandom(new SplittableRandom(options.seed() + i).nextLong());
      double lr = logUniform(rng, sp.minLearningRate(), sp.maxLearningRate());
      double l2 = rng.nextDouble() < sp.zeroL2Share() ? 0 : logUniform(rng, sp.minL2(), sp.maxL2());
      int[] budget = sp.budgets().get(rng.nextInt(sp.budgets().size()));
      int width = mlp ? sp.widths().get(rng.nextInt(sp.widths().size())) : start.hiddenWidth();
      // Half the trials keep the method as given, so the search covers its usual setting too.
      String method =
          param.isPresent() && rng.nextBoolean()
              ? param.get().method(param.get().draw(rng))
              : start.method();
      out.add(new TrialSetting(method, lr, l2, budget[0], budget[1], width));
    }
    return out;
  }

  /**
   * Runs the search.
   *
   * @param start trial 0 (see {@link #settings})
   * @param mlp whether the scorer is an MLP
   * @param task the task the policies are scored under
   * @param validation the validation table that scores every trial (never a test table)
   * @param fit trains one trial's policy (on the training table, early stopping on {@code
   *     validation})
   * @param listener progress
   * @return the trials and the winner, whose provenance records the search
   * @throws IllegalArgumentException when every trial failed (the message has the first error)
   */
  public TuneResult tune(
      TrialSetting start,
      boolean mlp,
      TaskSpec task,
      DeferralTable validation,
      TrialFit fit,
      Listener listener) {
    if (validation == null) {
      throw new IllegalArgumentException("tuning scores trials on a validation table: give one");
    }
    List<TrialSetting> settings = settings(start, mlp);
    int n = settings.size();
    Trial[] trials = new Trial[n];
    LearnedPolicy[] policies = new LearnedPolicy[n];
    AtomicInteger done = new AtomicInteger();
    Listener progress = listener == null ? Listener.NONE : listener;
    Runnable[] jobs = new Runnable[n];
    for (int i = 0; i < n; i++) {
      int index = i;
      jobs[i] =
          () -> {
            TrialSetting s = settings.get(index);
            long t0 = System.nanoTime();
            Trial t;
            try {
              LearnedPolicy p = fit.fit(s);
              DeferralReport r = Evaluation.of(p.withCommittee(null), task, validation).report();
              double sec = (System.nanoTime() - t0) / 1e9;
              t =
                  new Trial(
                      index,
                      s,
                      r.meanCost(),
                      r.systemAccuracy(),
                      p.provenance().epochs(),
                      p.provenance().bestEpoch(),
                      sec,
                      null);
              policies[index] = p;
            } catch (RuntimeException e) {
              String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
              t =
                  new Trial(
                      index,
                      s,
                      Double.NaN,
                      Double.NaN,
                      0,
                      0,
                      (System.nanoTime() - t0) / 1e9,
                      e.getClass().getSimpleName() + ": " + msg);
            }
            trials[index] = t;
            progress.onTrial(t, done.incrementAndGet(), n);
          };
    }
    run(jobs);
    int best = -1;
    for (int i = 0; i < n; i++) {
      if (trials[i].succeeded()
          && (best < 0 || trials[i].validationCost() < trials[best].validationCost())) {
        best = i;
      }
    }
    if (best < 0) {
      throw new IllegalArgumentException(
          "every tuning trial failed; trial 0: " + trials[0].error());
    }
    List<Trial> all = List.of(trials);
    TuneResult partial = new TuneResult(all, best, policies[best], options.seed());
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("tune_trials", Integer.toString(n));
    prov.put("tune_seed", Long.toString(options.seed()));
    prov.put("tune_best_trial", Integer.toString(best));
    prov.put("tune_setting", trials[best].setting().asOptions());
    prov.put("tune_table", partial.csv());
    LearnedPolicy winner =
        policies[best].withProvenance(
            policies[best]
                .provenance()
                .withOptions(prov)
                .withMetrics(Map.of("tune_validation_cost", trials[best].validationCost())));
    LOG.info(
        "tuned {} trials: best trial {} ({}), validation cost {}",
        n,
        best,
        trials[best].setting().asOptions(),
        trials[best].validationCost());
    return new TuneResult(all, best, winner, options.seed());
  }

  private void run(Runnable[] jobs) {
    int threads = Math.min(options.threads(), jobs.length);
    if (threads == 1) {
      for (Runnable j : jobs) {
        j.run();
      }
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "defer4j-tune");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable j : jobs) {
        futures.add(pool.submit(j));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("tuning was interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("a tuning trial failed: " + c, c);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double logUniform(SplittableRandom rng, double lo, double hi) {
    double v = Math.exp(Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo)));
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
  }

  /** The options. */
  public Options options() {
    return options;
  }
}
