package org.revtrain.trainer;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializationContext;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializationContext;
import com.google.gson.JsonSerializer;
import com.google.gson.annotations.SerializedName;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.revtrain.models.Discretisation;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Models;
import org.revtrain.models.Network;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.reversible.GradientMode;
import org.revtrain.trainer.data.Augmentation;

/**
 * Everything that determines a training run's result: model, data, gradient mode, length,
 * optimiser, regularisers, seed and precision. Two runs with equal configurations on the same
 * machine compute the same losses; {@code config.json} and every checkpoint record it.
 *
 * <p>The record's components are the whole configuration: equality, {@link #toJson} and {@link
 * #fromJson} follow them (one key per component, in snake case; {@code precision} is written as
 * {@code dtype}). A key missing from an older {@code config.json} reads as null, false or 0, so a
 * component added later must give that value the meaning the runs before it had.
 *
 * <p>The defaults train the command line's default model ({@link Models#DEFAULT}) on the built-in
 * data in a few minutes on two cores: {@value #DEFAULT_EPOCHS} epochs of batches of {@value
 * #DEFAULT_BATCH}, and Chang et al.'s optimiser settings: SGD with momentum {@value
 * #DEFAULT_MOMENTUM}, learning rate {@value #DEFAULT_LEARNING_RATE} divided by 10 at 50% and 75% of
 * the run, weight decay {@value #DEFAULT_WEIGHT_DECAY} and smoothness weight {@value
 * #DEFAULT_SMOOTHNESS}.
 *
 * @param model the network
 * @param data the data spec, as {@link org.revtrain.trainer.data.DataSource#parse} reads it
 * @param mode how the reversible units compute their gradients
 * @param epochs the run's length in epochs, or null when it is given in {@code steps}
 * @param steps the run's length in steps, or null when it is given in {@code epochs}
 * @param batch examples per training batch, ≥ 1
 * @param learningRate the base learning rate η_0, finite and > 0
 * @param schedule the learning rate of each step from η_0
 * @param momentum the SGD momentum μ in [0, 1)
 * @param weightDecay the weight decay λ ≥ 0 of kernels and weights
 * @param smoothness the weight α ≥ 0 of the smoothness-in-time regulariser
 * @param seed the seed of weights, shuffling, augmentation and stochastic depth
 * @param precision the floating-point type of the network
 * @param device where the graph runs
 * @param checkpointEvery steps between periodic checkpoints, ≥ 0 (0: only at epoch ends and at the
 *     end of the run)
 * @param augment true: the standard augmentation; false: none; null: as {@link #augmentation} says
 *     for the data
 * @param plan each unit's gradient mode when they differ, overriding {@code mode}; null when every
 *     unit trains in {@code mode} (a uniform plan is stored as its mode)
 * @param driftTolerance the largest reconstruction error a unit may show before it switches to a
 *     mode that stores more ({@link DriftGuard}); null: never switch
 * @param trainFraction the fraction F in (0, 1] of the training set trained on, a stratified
 *     subsample drawn from {@code seed} (see {@link
 *     org.revtrain.trainer.data.StratifiedSubsample}); null for the whole set (F = 1 is stored as
 *     null)
 * @param refineAt the epochs E after which every unit's blocks are doubled, each step split in two
 *     ({@link Discretisation#refined refined(2)}: weights, running statistics and momentum carried
 *     over), in increasing order; null for none. {@link #model} is the network as it trains now: a
 *     run's configuration, and the checkpoints it writes, change their model at each refinement
 * @param adaptTolerance null, or Ott et al.'s adaptation of the step size: after every epoch the
 *     held-out accuracy (a stratified tenth of the training set, not trained on) of the network and
 *     of its ODE with steps h/2 are compared ({@link StepSizeCheck}), and the blocks are doubled as
 *     for {@code refineAt} when they differ by more than this many percentage points
 */
public record TrainingConfig(
    ModelSpec model,
    String data,
    GradientMode mode,
    Integer epochs,
    Integer steps,
    int batch,
    double learningRate,
    LearningRateSchedule schedule,
    double momentum,
    double weightDecay,
    double smoothness,
    long seed,
    @SerializedName("dtype") Precision precision,
    Device device,
    int checkpointEvery,
    Boolean augment,
    ModePlan plan,
    Double driftTolerance,
    Double trainFraction,
    List<Integer> refineAt,
    Double adaptTolerance) {
  /**
   * Percentage points of held-out accuracy that halving the steps may move a network that keeps its
   * steps ({@link #adaptTolerance}); {@code ode-check}'s default too.
   */
  public static final double DEFAULT_STEP_SIZE_TOLERANCE = 1.0;

  /** Epochs of a run that names neither epochs nor steps. */
  public static final int DEFAULT_EPOCHS = 6;

  /** Examples per training batch. */
  public static final int DEFAULT_BATCH = 128;

  /** Base learning rate η_0 (Chang et al.). */
  public static final double DEFAULT_LEARNING_RATE = 0.1;

  /** Momentum μ (Chang et al.). */
  public static final double DEFAULT_MOMENTUM = 0.9;

  /** Weight decay λ (Chang et al.). */
  public static final double DEFAULT_WEIGHT_DECAY = 2e-4;

  /** Smoothness-in-time weight α (Chang et al.). */
  public static final double DEFAULT_SMOOTHNESS = 2e-4;

  /** Seed of weights, shuffling, augmentation and stochastic depth. */
  public static final long DEFAULT_SEED = 1;

  /**
   * Largest reconstruction error before a unit stores more: above float32 round-off over a unit of
   * Hamiltonian blocks (1.5e-6 on hamiltonian-38 with a float32 state), below what a float32-state
   * leapfrog unit reaches (9e-4 on leapfrog-38).
   */
  public static final double DEFAULT_DRIFT_TOLERANCE = 1e-4;

  private static final Gson JSON =
      new GsonBuilder()
          .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
          .serializeNulls()
          .registerTypeAdapter(
              ModelSpec.class,
              new Codec<>(ModelCatalog::toJson, e -> ModelCatalog.fromJson(e.getAsJsonObject())))
          .registerTypeHierarchyAdapter(
              GradientMode.class, Codec.named(GradientMode::toString, GradientMode::parse))
          .registerTypeHierarchyAdapter(
              LearningRateSchedule.class,
              Codec.named(LearningRateSchedule::id, LearningRateSchedule::parse))
          .registerTypeAdapter(Precision.class, Codec.named(Precision::id, Precision::parse))
          .registerTypeAdapter(Device.class, Codec.named(Device::id, Device::parse))
          .registerTypeAdapter(ModePlan.class, Codec.named(ModePlan::toString, ModePlan::parse))
          .create();

  /**
   * Checks the configuration.
   *
   * @param model the network
   * @param data the data spec
   * @param mode the gradient mode of every unit without a {@code plan}
   * @param epochs the run's length in epochs, or null
   * @param steps the run's length in steps, or null
   * @param batch examples per training batch, ≥ 1
   * @param learningRate η_0, finite and > 0
   * @param schedule the learning rate of each step from η_0
   * @param momentum μ in [0, 1)
   * @param weightDecay λ ≥ 0
   * @param smoothness α ≥ 0
   * @param seed the run's seed
   * @param precision the network's floating-point type
   * @param device where the graph runs
   * @param checkpointEvery steps between periodic checkpoints, ≥ 0
   * @param augment true, false, or null for the data's default
   * @param plan each unit's gradient mode, or null
   * @param driftTolerance the reconstruction error in (0, 1) that switches a unit's mode, or null
   * @param trainFraction F in (0, 1], or null for 1
   * @param refineAt the epochs after which the blocks are doubled, or null
   * @param adaptTolerance the step-size check's tolerance in percentage points, or null
   * @throws IllegalArgumentException naming the setting out of range, if the run's length is given
   *     in both or neither of epochs and steps, or if the model's blocks cannot train in the mode
   *     (see {@link org.revtrain.models.BlockKind#checkMode})
   */
  public TrainingConfig {
    Objects.requireNonNull(model, "model is missing");
    Objects.requireNonNull(data, "data is missing");
    Objects.requireNonNull(mode, "mode is missing");
    Objects.requireNonNull(schedule, "schedule is missing");
    Objects.requireNonNull(precision, "precision is missing");
    Objects.requireNonNull(device, "device is missing");
    if ((epochs == null) == (steps == null)) {
      throw new IllegalArgumentException(
          "a run's length is given in epochs or in steps, not both or neither: epochs "
              + epochs
              + ", steps "
              + steps);
    }
    positive(epochs, "epochs");
    positive(steps, "steps");
    positive(batch, "batch size");
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a finite number > 0, got " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    weightDecay = new WeightDecay(weightDecay).lambda();
    smoothness = new SmoothnessRegularizer(smoothness).alpha();
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException(
          "checkpoint interval must be >= 0, got " + checkpointEvery);
    }
    if (driftTolerance != null && !(driftTolerance > 0 && driftTolerance < 1)) {
      throw new IllegalArgumentException(
          "drift tolerance must be in (0, 1), got " + driftTolerance);
    }
    if (plan != null) {
      Network.checkPlan(model, plan);
      if (plan.isUniform()) {
        mode = plan.mode(0);
        plan = null;
      }
    }
    model.kind().checkMode(mode);
    if (trainFraction != null) {
      if (!(trainFraction > 0 && trainFraction <= 1)) {
        throw new IllegalArgumentException(
            "training fraction must be in (0, 1], got " + trainFraction);
      }
      if (trainFraction == 1) {
        trainFraction = null;
      }
    }
    if (refineAt != null && refineAt.isEmpty()) {
      refineAt = null;
    }
    if (refineAt != null) {
      refineAt = List.copyOf(refineAt);
      for (int i = 0; i < refineAt.size(); i++) {
        if (refineAt.get(i) < 1 || (i > 0 && refineAt.get(i) <= refineAt.get(i - 1))) {
          throw new IllegalArgumentException(
              "refinement epochs must be increasing whole numbers of at least 1, got " + refineAt);
        }
      }
    }
    if (adaptTolerance != null) {
      if (!(adaptTolerance >= 0 && Double.isFinite(adaptTolerance))) {
        throw new IllegalArgumentException(
            "step-size tolerance must be a finite number of percentage points >= 0, got "
                + adaptTolerance);
      }
      if (refineAt != null) {
        throw new IllegalArgumentException(
            "the blocks are doubled at given epochs or when the step-size check fails, not both");
      }
    }
    if (refineAt != null || adaptTolerance != null) {
      Discretisation.refined(2).apply(model); // names the model if its blocks cannot be refined
    }
  }

  /**
   * The epochs after which the blocks are doubled: {@link #refineAt}, or none.
   *
   * @return the epochs, increasing; empty when the blocks are never doubled
   */
  public List<Integer> refinements() {
    return refineAt != null ? refineAt : List.of();
  }

  /**
   * The fraction of the training set trained on: {@link #trainFraction}, or 1.
   *
   * @return F in (0, 1]
   */
  public double fraction() {
    return trainFraction != null ? trainFraction : 1;
  }

  /**
   * The gradient mode of each unit: {@link #plan}, or {@link #mode} for every unit.
   *
   * @return one mode per unit of the model, bottom to top
   */
  public ModePlan modes() {
    return plan != null ? plan : ModePlan.uniform(mode, model.units());
  }

  private static void positive(Integer n, String what) {
    if (n != null && n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + n);
    }
  }

  /**
   * A configuration with every default: {@link Models#DEFAULT} on {@code builtin}, REVERSIBLE.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder(
        new TrainingConfig(
            Models.byName(Models.DEFAULT),
            "builtin",
            GradientMode.reversible(),
            DEFAULT_EPOCHS,
            null,
            DEFAULT_BATCH,
            DEFAULT_LEARNING_RATE,
            LearningRateSchedule.standard(),
            DEFAULT_MOMENTUM,
            DEFAULT_WEIGHT_DECAY,
            DEFAULT_SMOOTHNESS,
            DEFAULT_SEED,
            Precision.FLOAT32,
            Device.CPU,
            0,
            null,
            null,
            DEFAULT_DRIFT_TOLERANCE,
            null,
            null,
            null));
  }

  /**
   * A builder holding this configuration.
   *
   * @return a new builder; changing it leaves this configuration as it is
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Total steps of the run, for {@code stepsPerEpoch} steps per epoch.
   *
   * @param stepsPerEpoch training batches per epoch, ≥ 1
   * @return {@link #steps}, or {@link #epochs} · {@code stepsPerEpoch}
   */
  public long totalSteps(int stepsPerEpoch) {
    return steps != null ? steps : (long) epochs * stepsPerEpoch;
  }

  /**
   * The augmentation of training batches. Unless {@link #augment} forces the standard one (pad 4,
   * random crop, horizontal flip) or none: the standard one for colour data (CIFAR), none for
   * grayscale data and none for the {@code builtin} data, which draw position, phase, colour and
   * contrast afresh for every example already, and whose classes are defined in part by the
   * grating's orientation, which a mirror image changes (on {@code hamiltonian-tiny}, 6 epochs: 56%
   * test accuracy without augmentation, 43% with crops only, 40% with crops and flips).
   *
   * @param channels channels of the training images
   * @return the augmentation to apply to each training batch
   */
  public Augmentation augmentation(int channels) {
    if (augment != null) {
      return Augmentation.standard(augment);
    }
    boolean builtin = data.strip().equalsIgnoreCase("builtin");
    return Augmentation.standard(channels == 3 && !builtin);
  }

  /**
   * The {@link #data} of a run whose data were given in memory ({@link Trainer.Builder#data}):
   * {@code config.json} then says so, and the image shape and class count it records under {@code
   * input} are what any data given to evaluate the run must have.
   */
  public static final String IN_MEMORY = "in-memory";

  /**
   * Whether the run's data were given in memory rather than named by {@link #data}.
   *
   * @return true for data given in memory
   */
  public boolean inMemoryData() {
    return data.strip().equalsIgnoreCase(IN_MEMORY);
  }

  /**
   * The {@code config.json} form: one key per component, null where a component is null.
   *
   * @return the JSON object
   */
  public JsonObject toJson() {
    return JSON.toJsonTree(this).getAsJsonObject();
  }

  /**
   * The configuration {@link #toJson} wrote; keys it does not know (such as the {@code input} that
   * {@code config.json} adds) are ignored.
   *
   * @param o an object {@link #toJson} wrote
   * @return the configuration it holds
   * @throws IllegalArgumentException if a setting is out of range (as the constructor)
   */
  public static TrainingConfig fromJson(JsonObject o) {
    try {
      return JSON.fromJson(o, TrainingConfig.class);
    } catch (RuntimeException e) {
      // Gson wraps what the constructor throws in a message about the constructor; the cause
      // names the setting
      if (e.getCause() instanceof IllegalArgumentException
          || e.getCause() instanceof NullPointerException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }

  /** A component's JSON form, written by {@code write} and read back by {@code read}. */
  private record Codec<V>(Function<V, JsonElement> write, Function<JsonElement, V> read)
      implements JsonSerializer<V>, JsonDeserializer<V> {
    /** A value written as its name, e.g. {@code float32}, and read back by {@code parse}. */
    static <V> Codec<V> named(Function<V, String> name, Function<String, V> parse) {
      return new Codec<>(v -> new JsonPrimitive(name.apply(v)), e -> parse.apply(e.getAsString()));
    }

    @Override
    public JsonElement serialize(V value, Type type, JsonSerializationContext context) {
      return write.apply(value);
    }

    @Override
    public V deserialize(JsonElement json, Type type, JsonDeserializationContext context) {
      return read.apply(json);
    }
  }

  /**
   * A configuration built setting by setting, from the defaults or from another configuration; the
   * configuration's constructor checks the settings when it is {@link #build built}.
   */
  public static final class Builder {
    private ModelSpec model;
    private String data;
    private GradientMode mode;
    private Integer epochs;
    private Integer steps;
    private int batch;
    private double learningRate;
    private LearningRateSchedule schedule;
    private double momentum;
    private double weightDecay;
    private double smoothness;
    private long seed;
    private Precision precision;
    private Device device;
    private int checkpointEvery;
    private Boolean augment;
    private ModePlan plan;
    private Double driftTolerance;
    private Double trainFraction;
    private List<Integer> refineAt;
    private Double adaptTolerance;

    private Builder(TrainingConfig c) {
      model = c.model;
      data = c.data;
      mode = c.mode;
      epochs = c.epochs;
      steps = c.steps;
      batch = c.batch;
      learningRate = c.learningRate;
      schedule = c.schedule;
      momentum = c.momentum;
      weightDecay = c.weightDecay;
      smoothness = c.smoothness;
      seed = c.seed;
      precision = c.precision;
      device = c.device;
      checkpointEvery = c.checkpointEvery;
      augment = c.augment;
      plan = c.plan;
      driftTolerance = c.driftTolerance;
      trainFraction = c.trainFraction;
      refineAt = c.refineAt;
      adaptTolerance = c.adaptTolerance;
    }

    /**
     * The network to train.
     *
     * @param m the model spec
     * @return this builder
     */
    public Builder model(ModelSpec m) {
      this.model = m;
      return this;
    }

    /**
     * The data to train on, as {@link org.revtrain.trainer.data.DataSource#parse} reads them.
     *
     * @param spec the data spec, e.g. {@code builtin}
     * @return this builder
     */
    public Builder data(String spec) {
      this.data = spec;
      return this;
    }

    /**
     * Every unit in mode {@code m} (clears {@link #plan}).
     *
     * @param m the mode of every unit
     * @return this builder
     */
    public Builder mode(GradientMode m) {
      this.mode = m;
      this.plan = null;
      return this;
    }

    /** Each unit in its own mode: {@code p}, or null for {@link #mode} in every unit. */
    /**
     * The largest reconstruction error a unit may show before it switches to a mode that stores
     * more; null: never switch.
     *
     * @param tolerance the largest reconstruction error, in (0, 1), or null
     * @return this builder
     */
    public Builder driftTolerance(Double tolerance) {
      this.driftTolerance = tolerance;
      return this;
    }

    /**
     * Each unit's gradient mode, bottom to top, overriding {@link #mode}; null: {@link #mode} for
     * every unit.
     *
     * @param p one mode per unit, or null
     * @return this builder
     */
    public Builder plan(ModePlan p) {
      this.plan = p;
      return this;
    }

    /**
     * Train for {@code n ≥ 1} epochs (clears {@link #steps}).
     *
     * @param n the number of epochs
     * @return this builder
     */
    public Builder epochs(int n) {
      this.epochs = n;
      this.steps = null;
      return this;
    }

    /**
     * Train for {@code n ≥ 1} steps (clears {@link #epochs}).
     *
     * @param n the number of steps
     * @return this builder
     */
    public Builder steps(int n) {
      this.steps = n;
      this.epochs = null;
      return this;
    }

    /**
     * Examples per training batch, ≥ 1.
     *
     * @param n the batch size
     * @return this builder
     */
    public Builder batch(int n) {
      this.batch = n;
      return this;
    }

    /**
     * The base learning rate η_0, finite and > 0.
     *
     * @param x η_0
     * @return this builder
     */
    public Builder learningRate(double x) {
      this.learningRate = x;
      return this;
    }

    /**
     * The learning rate of each step from η_0.
     *
     * @param s the schedule
     * @return this builder
     */
    public Builder schedule(LearningRateSchedule s) {
      this.schedule = s;
      return this;
    }

    /**
     * The SGD momentum μ in [0, 1).
     *
     * @param x μ
     * @return this builder
     */
    public Builder momentum(double x) {
      this.momentum = x;
      return this;
    }

    /**
     * The weight decay λ ≥ 0 of kernels and weights.
     *
     * @param x λ
     * @return this builder
     */
    public Builder weightDecay(double x) {
      this.weightDecay = x;
      return this;
    }

    /**
     * The weight α ≥ 0 of the smoothness-in-time regulariser.
     *
     * @param x α
     * @return this builder
     */
    public Builder smoothness(double x) {
      this.smoothness = x;
      return this;
    }

    /**
     * The seed of weights, shuffling, augmentation and stochastic depth.
     *
     * @param s the seed
     * @return this builder
     */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /**
     * The floating-point type of the network.
     *
     * @param p the precision
     * @return this builder
     */
    public Builder precision(Precision p) {
      this.precision = p;
      return this;
    }

    /**
     * Where the graph runs.
     *
     * @param d the device
     * @return this builder
     */
    public Builder device(Device d) {
      this.device = d;
      return this;
    }

    /**
     * Steps between periodic checkpoints, ≥ 0 (0: only at epoch ends and at the end).
     *
     * @param n the steps between checkpoints
     * @return this builder
     */
    public Builder checkpointEvery(int n) {
      this.checkpointEvery = n;
      return this;
    }

    /**
     * True: the standard augmentation (pad 4, random crop, flip); false: none; null: as {@link
     * TrainingConfig#augmentation} says for the data.
     *
     * @param on true, false or null
     * @return this builder
     */
    public Builder augment(Boolean on) {
      this.augment = on;
      return this;
    }

    /**
     * Train on a stratified fraction F in (0, 1] of the training set; null or 1: all of it.
     *
     * @param f F, or null
     * @return this builder
     */
    public Builder trainFraction(Double f) {
      this.trainFraction = f;
      return this;
    }

    /**
     * Double every unit's blocks after each of these epochs (increasing, at least 1); null or
     * empty: never.
     *
     * @param epochs the epochs E ≥ 1, increasing, or null
     * @return this builder
     */
    public Builder refineAt(List<Integer> epochs) {
      this.refineAt = epochs;
      return this;
    }

    /**
     * Adapt the step size as Ott et al. do: double the blocks after an epoch whose step-size check
     * moves the held-out accuracy by more than {@code percentagePoints}; null: never.
     *
     * @param percentagePoints the tolerance in percentage points, ≥ 0, or null
     * @return this builder
     */
    public Builder adaptTolerance(Double percentagePoints) {
      this.adaptTolerance = percentagePoints;
      return this;
    }

    /**
     * @return the configuration
     * @throws IllegalArgumentException as the {@link TrainingConfig#TrainingConfig constructor}
     */
    public TrainingConfig build() {
      return new TrainingConfig(
          model,
          data,
          mode,
          epochs,
          steps,
          batch,
          learningRate,
          schedule,
          momentum,
          weightDecay,
          smoothness,
          seed,
          precision,
          device,
          checkpointEvery,
          augment,
          plan,
          driftTolerance,
          trainFraction,
          refineAt,
          adaptTolerance);
    }
  }
}
