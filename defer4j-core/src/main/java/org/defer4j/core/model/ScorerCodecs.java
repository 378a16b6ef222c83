package org.defer4j.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registry of scorer kinds: the built-in dense {@code linear} and {@code mlp} scorers, every
 * {@link ScorerCodec} found by {@link ServiceLoader} ({@code META-INF/services}), and codecs {@link
 * #register}ed at run time.
 */
public final class ScorerCodecs {
  private static final List<ScorerCodec> CODECS = new CopyOnWriteArrayList<>();

  static {
    CODECS.add(new Dense(ScorerSpec.Kind.LINEAR));
    CODECS.add(new Dense(ScorerSpec.Kind.MLP));
    for (ScorerCodec c :
        ServiceLoader.load(ScorerCodec.class, ScorerCodecs.class.getClassLoader())) {
      CODECS.add(c);
    }
  }

  private ScorerCodecs() {}

  /** Registers a codec; it takes precedence over earlier ones of the same kind. */
  public static void register(ScorerCodec codec) {
    CODECS.add(0, codec);
  }

  /**
   * The codec that saves a scorer.
   *
   * @throws IllegalArgumentException when no registered codec handles it
   */
  public static ScorerCodec forScorer(Scorer scorer) {
    for (ScorerCodec c : CODECS) {
      if (c.handles(scorer)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "no registered scorer codec saves " + scorer.getClass().getName() + "; kinds: " + kinds());
  }

  /**
   * The codec of a kind.
   *
   * @throws IllegalArgumentException for an unregistered kind
   */
  public static ScorerCodec forKind(String kind) {
    for (ScorerCodec c : CODECS) {
      if (c.kind().equals(kind)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown scorer kind '"
            + kind
            + "'; registered kinds: "
            + kinds()
            + " (is the module that provides it on the class path?)");
  }

  /** The registered kinds. */
  public static List<String> kinds() {
    TreeSet<String> k = new TreeSet<>();
    CODECS.forEach(c -> k.add(c.kind()));
    return new ArrayList<>(k);
  }

  /** Reads a list of numbers (as JSON gives them) into a double array. */
  public static double[] doubles(Object v, String what) {
    if (v instanceof double[] d) {
      return d.clone();
    }
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException(what + ": expected a list of numbers");
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw new IllegalArgumentException(what + "[" + i + "]: not a number");
      }
      out[i] = n.doubleValue();
    }
    return out;
  }

  /** Reads an integer (as JSON gives it). */
  public static int integer(Object v, String what) {
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new IllegalArgumentException(what + ": expected an integer, got " + v);
    }
    return n.intValue();
  }

  /** The built-in dense scorers. */
  private static final class Dense implements ScorerCodec {
    private final ScorerSpec.Kind kind;

    Dense(ScorerSpec.Kind kind) {
      this.kind = kind;
    }

    @Override
    public String kind() {
      return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean handles(Scorer scorer) {
      return (scorer instanceof LinearScorer || scorer instanceof MlpScorer)
          && scorer.spec().kind() == kind;
    }

    @Override
    public Map<String, Object> encode(Scorer scorer) {
      ScorerState state = scorer.state();
      ScorerSpec spec = state.spec();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("input_dim", spec.inputDim());
      m.put("output_dim", spec.outputDim());
      List<Integer> hidden = new ArrayList<>();
      for (int h : spec.hidden()) {
        hidden.add(h);
      }
      m.put("hidden", hidden);
      m.put("activation", spec.activation() == null ? null : spec.activation().name());
      m.put("l2", spec.l2());
      List<Double> params = new ArrayList<>();
      for (double p : state.parameters()) {
        params.add(p);
      }
      m.put("parameters", params);
      return m;
    }

    @Override
    public Scorer decode(Map<String, Object> s) {
      double[] hiddenD = ScorerCodecs.doubles(s.getOrDefault("hidden", List.of()), "hidden");
      int[] hidden = new int[hiddenD.length];
      for (int i = 0; i < hidden.length; i++) {
        hidden[i] = (int) hiddenD[i];
      }
      Object act = s.get("activation");
      Object l2 = s.get("l2");
      ScorerSpec spec =
          new ScorerSpec(
              kind,
              integer(s.get("input_dim"), "input_dim"),
              integer(s.get("output_dim"), "output_dim"),
              hidden,
              act == null ? null : Activation.valueOf(act.toString().toUpperCase(Locale.ROOT)),
              l2 instanceof Number n ? n.doubleValue() : 0.0);
      return Scorers.fromState(
          new ScorerState(spec, ScorerCodecs.doubles(s.get("parameters"), "parameters")));
    }
  }
}
