package org.revtrain.trainer;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.revtrain.models.Discretisation;
import org.revtrain.models.ModelSpec;
import org.revtrain.trainer.data.DataSource;
import org.revtrain.trainer.data.DataSplit;
import org.revtrain.trainer.data.ImageDataset;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Trains a network as a {@link TrainingConfig} says, writing {@code config.json}, {@code
 * metrics.jsonl} and {@code checkpoints/} into a run directory.
 *
 * <p>Step s (0-based) of a run of S steps trains on the batch {@link TrainingData} assigns to s (a
 * pure function of the seed and s), at learning rate {@link LearningRateSchedule#rate}(s, S), with
 * stochastic-depth draws seeded by (seed, s), in one {@link TrainingGraph#step}. A run resumed from
 * a checkpoint (variables, momentum slots, running statistics, step counter, the sums behind the
 * next metrics row) therefore repeats an uninterrupted one step for step, and logs the same rows.
 * Resuming drops the checkpoints and {@code metrics.jsonl} rows of later steps (left by a run
 * resumed from an older checkpoint, e.g. past a damaged one); resuming a run that has reached its
 * length trains and writes nothing. A new run goes into a directory as {@link RunDirectory} allows.
 *
 * <p>The test set is evaluated at every epoch end and at the end of the run; a checkpoint is
 * written at the same moments and every {@link TrainingConfig#checkpointEvery()} steps. A NaN or
 * infinite loss ends the run with {@link TrainingDivergedException} before any further checkpoint.
 * {@link #requestStop()} (e.g. from a Ctrl-C handler) ends it after the current step with a
 * checkpoint.
 *
 * <p>Between epochs the network may be refined, its blocks doubled at half the step sizes with
 * every variable carried over ({@link TrainingConfig#refineAt}, or when {@link StepSizeCheck Ott et
 * al.'s check} fails under {@link TrainingConfig#adaptTolerance}); the refinement comes before the
 * first step of the next epoch, so the checkpoint of the epoch's end holds the network before it
 * and a run resumed from there refines as the uninterrupted one did.
 */
public final class Trainer {
  /** Examples per evaluation batch. */
  public static final int EVAL_BATCH = 250;

  /** Name of the configuration file inside a run directory. */
  public static final String CONFIG_FILE = "config.json";

  /** Name of the file that records where a run's initial weights came from, if not drawn. */
  public static final String INITIALISED_FROM_FILE = "initialised-from.json";

  /** The run's configuration; its mode plan changes when the drift guard switches a unit. */
  private TrainingConfig config;

  private final Path runDirectory;
  private final DataSplit data;
  private final Checkpoint resumeFrom;
  private final Checkpoint initialisedFrom;
  private final Discretisation discretisation;
  private final List<TrainingListener> listeners;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopRequested;

  private Trainer(Builder b) {
    // Data given in memory are recorded as such, not as the spec they would otherwise be read from.
    this.config =
        b.data != null ? b.config.toBuilder().data(TrainingConfig.IN_MEMORY).build() : b.config;
    this.runDirectory = b.runDirectory;
    this.data = b.data;
    this.resumeFrom = b.resumeFrom;
    this.initialisedFrom = b.initialisedFrom;
    this.discretisation = b.discretisation;
    this.listeners = List.copyOf(b.listeners);
  }

  /** A trainer for {@code config}, writing into {@code runDirectory}. */
  public static Builder builder(TrainingConfig config, Path runDirectory) {
    return new Builder(config, runDirectory);
  }

  /**
   * Asks the run to stop after the current step, writing a checkpoint first. Safe from any thread.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Waits until {@link #run()} has returned or thrown.
   *
   * @return false if the timeout passed first
   */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs the training.
   *
   * @throws TrainingDivergedException if a loss or weight became NaN or infinite
   * @throws org.revtrain.trainer.data.DataException if the data cannot be loaded
   * @throws UsageException if the data do not fit the configuration or a resumed checkpoint
   */
  public TrainingResult run() throws IOException {
    try {
      return train();
    } finally {
      listeners.forEach(TrainingListener::finished);
      finished.countDown();
    }
  }

  private TrainingResult train() throws IOException {
    config.device().checkAvailable();
    CheckpointState resumed = resumeFrom != null ? resumeFrom.state() : null;
    if (resumed != null) {
      long total = config.totalSteps(resumed.stepsPerEpoch());
      if (resumed.step() > total) {
        throw new UsageException(
            resumeFrom.directory()
                + ": the run is at step "
                + resumed.step()
                + ", past the new length of "
                + total
                + " steps; a resumed run's length is its"
                + " new total");
      }
      if (resumed.step() == total) {
        return complete(resumed, total); // nothing to train, nothing to write
      }
    }
    if (resumeFrom == null || !sameDirectory(resumeFrom.runDirectory(), runDirectory)) {
      RunDirectory.requireForNewRun(runDirectory);
    }
    if (data == null && config.inMemoryData()) {
      throw new UsageException(
          UsageException.Setting.DATA,
          TrainingConfig.IN_MEMORY
              + ": the run's data were given in memory; give them again to resume it",
          null);
    }
    DataSplit split = data != null ? data : DataSource.parse(config.data()).load();
    if (resumed != null) {
      resumed.input().require(split.train(), config.data(), "the resumed checkpoint's network");
    }
    if (initialisedFrom != null) {
      initialisedFrom
          .state()
          .input()
          .require(
              split.train(),
              config.data(),
              "the network of the initial weights (" + initialisedFrom.directory() + ")");
    }
    TrainingData d =
        TrainingData.prepare(split, config, resumed != null ? resumed.standardization() : null);
    long start = resumed != null ? resumed.step() : 0;
    long total = config.totalSteps(d.stepsPerEpoch());
    for (int epoch : config.refinements()) {
      if ((long) epoch * d.stepsPerEpoch() >= total) {
        throw new UsageException(
            UsageException.Setting.REFINE_AT,
            epoch
                + ": the run ends after "
                + total
                + " steps ("
                + String.format(java.util.Locale.ROOT, "%.2f", (double) total / d.stepsPerEpoch())
                + " epochs of "
                + d.stepsPerEpoch()
                + " steps); the blocks are doubled after an epoch before its end",
            null);
      }
    }
    Map<String, double[]> initial = null;
    if (initialisedFrom != null) {
      try (InferenceModel<?> source = InferenceModel.open(initialisedFrom)) {
        initial =
            source.parameterValues(); // the trained network's; mapped by the discretisation below
      }
    }

    Optional<DriftGuard> guard = DriftGuard.of(config);
    TrainingGraph<?> graph =
        TrainingGraph.build(config, d.shape(), config.device().sessionConfig());
    try {
      if (resumeFrom != null) {
        restore(graph);
      } else {
        graph.initialize();
        if (initial != null) {
          graph.assign(initial, discretisation);
        }
      }
      prepareDirectory(d.shape());
      Run run = new Run(graph, d, total, resumeFrom);
      listeners.forEach(l -> l.started(start, total, d.stepsPerEpoch()));
      float[] pixels = new float[d.batches().imageBufferSize()];
      int[] labels = new int[config.batch()];
      long step = start;
      while (step < total && !stopRequested) {
        if (refinementDue(step, d.stepsPerEpoch())) {
          Refinement r = refinement(step, d.stepsPerEpoch());
          graph = refine(graph, d.shape());
          run.refined(graph, r);
        }
        if (stepSizeCheckDue(step, d.stepsPerEpoch(), run)
            && run.checkStepSize(step, d.stepsPerEpoch(), d.heldOut()).refine()) {
          Refinement r = refinement(step, d.stepsPerEpoch());
          graph = refine(graph, d.shape());
          run.refined(graph, r);
        }
        d.fill(step, pixels, labels);
        double rate = config.schedule().rate(config.learningRate(), step, total);
        boolean trace =
            step == start || step % d.stepsPerEpoch() == 0; // allocator peak: once an epoch
        long t0 = System.nanoTime();
        StepOutcome o = graph.step(pixels, labels, rate, step, trace);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!o.finite()) {
          throw new TrainingDivergedException(step + 1, "loss is " + o.loss(), run.lastCheckpoint);
        }
        step++;
        run.stepped(step, o, rate, seconds, pixels, labels);
        Optional<ModeSwitch> drift =
            guard.isPresent()
                ? guard.get().check(step, config.modes(), o.unitReconstructionErrors())
                : Optional.empty();
        if (drift.isPresent()) {
          graph = switchMode(graph, drift.get(), d.shape());
          run.switched(graph, drift.get());
        }
        boolean epochEnd = step % d.stepsPerEpoch() == 0;
        if (epochEnd || step == total) {
          run.evaluate(step);
        }
        if (epochEnd
            || step == total
            || (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0)) {
          run.checkpoint(step);
        }
      }
      boolean stopped = step < total;
      if (stopped) {
        run.checkpoint(step);
      }
      return new TrainingResult(
          stopped ? TrainingResult.Status.STOPPED : TrainingResult.Status.COMPLETED,
          step,
          total,
          step - start,
          Optional.ofNullable(run.lastMetrics),
          run.peak >= 0 ? OptionalLong.of(run.peak) : OptionalLong.empty(),
          step > start ? run.stepSeconds / (step - start) : Double.NaN,
          runDirectory,
          Optional.ofNullable(run.lastCheckpoint));
    } finally {
      graph.close();
    }
  }

  /**
   * Continues the run with one unit in the mode {@code s} chose: the configuration's plan changes
   * (and {@code config.json} with it), and a graph of the new plan takes over every variable
   * (weights, running statistics, momentum) of {@code old}, which is closed.
   */
  private TrainingGraph<?> switchMode(TrainingGraph<?> old, ModeSwitch s, ImageShape shape)
      throws IOException {
    Path dir = Files.createTempDirectory("revtrain-mode-switch");
    try {
      Path prefix = dir.resolve("variables");
      old.save(prefix);
      old.close();
      config = config.toBuilder().plan(config.modes().with(s.unit(), s.to())).build();
      TrainingGraph<?> next = TrainingGraph.build(config, shape, config.device().sessionConfig());
      next.restore(prefix);
      writeConfig(shape);
      return next;
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /**
   * Whether the blocks are doubled before step {@code step} (0-based): after an epoch that {@link
   * TrainingConfig#refineAt} names. The checkpoint of that epoch's end holds the network before the
   * refinement, so a run resumed from it refines first, as the uninterrupted run did.
   */
  private boolean refinementDue(long step, int stepsPerEpoch) {
    return step > 0
        && step % stepsPerEpoch == 0
        && config.refinements().contains((int) (step / stepsPerEpoch));
  }

  /**
   * Whether the network is checked for being an ODE solution before step {@code step}: after every
   * epoch, when the run adapts its step size, from the checkpoint of that epoch's end.
   */
  private boolean stepSizeCheckDue(long step, int stepsPerEpoch, Run run) {
    return config.adaptTolerance() != null
        && step > 0
        && step % stepsPerEpoch == 0
        && run.lastCheckpointStep == step;
  }

  /** The refinement {@link #refine} is about to make before step {@code step}. */
  private Refinement refinement(long step, int stepsPerEpoch) {
    ModelSpec to = refined(config.model());
    return new Refinement(
        step,
        (int) (step / stepsPerEpoch),
        config.model().name(),
        to.name(),
        java.util.Arrays.stream(to.blocksPerUnit()).boxed().toList());
  }

  /**
   * {@code m} with every step split in two ({@link Discretisation#refined refined(2)}), named
   * {@code NAME-refined2}, then {@code NAME-refined4}, ...
   */
  static ModelSpec refined(ModelSpec m) {
    java.util.regex.Matcher k =
        java.util.regex.Pattern.compile("(.*)-refined(\\d+)").matcher(m.name());
    String name =
        k.matches()
            ? k.group(1) + "-refined" + 2 * Long.parseLong(k.group(2))
            : m.name() + "-refined2";
    return Discretisation.refined(2).apply(m).withName(name);
  }

  /**
   * Continues the run on its network with every step split in two: the configuration's model
   * changes (and {@code config.json} with it), and a graph of the refined network takes over every
   * variable of {@code old} as {@link Discretisation#refined refined(2)} maps it (weights, running
   * statistics and momentum of block j in blocks 2j and 2j + 1, at h_j/2); {@code old} is closed.
   */
  private TrainingGraph<?> refine(TrainingGraph<?> old, ImageShape shape) throws IOException {
    Map<String, double[]> values = old.values();
    config = config.toBuilder().model(refined(config.model())).build();
    TrainingGraph<?> next = TrainingGraph.build(config, shape, config.device().sessionConfig());
    try {
      next.initialize();
      next.assignInTraining(values, Discretisation.refined(2));
    } catch (RuntimeException e) {
      next.close();
      throw e;
    }
    old.close();
    writeConfig(shape);
    return next;
  }

  /** The result of resuming a run that has reached its length: it trains and writes nothing. */
  private TrainingResult complete(CheckpointState resumed, long total) {
    return new TrainingResult(
        TrainingResult.Status.COMPLETED,
        resumed.step(),
        total,
        0,
        Optional.empty(),
        resumed.peakBytes() >= 0 ? OptionalLong.of(resumed.peakBytes()) : OptionalLong.empty(),
        Double.NaN,
        runDirectory,
        Optional.of(resumeFrom.directory()));
  }

  /** Restores the resumed checkpoint's variables, naming the checkpoint if TensorFlow cannot. */
  private void restore(TrainingGraph<?> graph) {
    try {
      graph.restore(resumeFrom.variables());
    } catch (TensorFlowException e) {
      throw new UsageException(
          resumeFrom.directory() + ": its variables cannot be restored (" + e.getMessage() + ")",
          e);
    }
  }

  /**
   * Writes {@code config.json} (and where the initial weights came from) and makes the run
   * directory consistent with the step the run starts from: a resumed run's checkpoints and metrics
   * of later steps (an abandoned continuation) are removed, a new run's leftovers of an attempt
   * that stopped before its first checkpoint are removed, and so are the temporaries of killed
   * checkpoint writes.
   */
  private void prepareDirectory(ImageShape shape) throws IOException {
    Files.createDirectories(runDirectory);
    writeConfig(shape);
    MetricsLog metrics = new MetricsLog(runDirectory);
    Checkpoints checkpoints = Checkpoints.of(runDirectory);
    if (resumeFrom != null) {
      checkpoints.abandonAfter(resumeFrom);
      metrics.dropAfter(resumeFrom.state().step());
    } else {
      Files.deleteIfExists(metrics.file());
      Files.deleteIfExists(runDirectory.resolve(INITIALISED_FROM_FILE));
    }
    if (initialisedFrom != null) {
      writeInitialisedFrom();
    }
    checkpoints.removeTemporaries();
  }

  private static boolean sameDirectory(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  /** Records the checkpoint and the discretisation the initial weights came from. */
  private void writeInitialisedFrom() throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("checkpoint", initialisedFrom.directory().toAbsolutePath().toString());
    o.addProperty("step", initialisedFrom.state().step());
    o.add("model", ModelCatalog.toJson(initialisedFrom.state().config().model()));
    o.addProperty("refinement", discretisation.refinement());
    o.addProperty(
        "solver",
        discretisation.solver() != null
            ? discretisation.solver().id()
            : initialisedFrom.state().config().model().kind().id());
    Files.writeString(
        runDirectory.resolve(INITIALISED_FROM_FILE),
        new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n",
        StandardCharsets.UTF_8);
  }

  private void writeConfig(ImageShape shape) throws IOException {
    JsonObject o = config.toJson();
    o.add("input", CheckpointState.inputJson(shape));
    Files.writeString(
        runDirectory.resolve(CONFIG_FILE),
        new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n",
        StandardCharsets.UTF_8);
  }

  /**
   * One invocation of {@link #run()}: the running means since the last evaluation, the evaluations
   * and the checkpoints.
   */
  private final class Run {
    TrainingGraph<?> graph;
    final TrainingData data;
    final long total;
    final MetricsLog metrics = new MetricsLog(runDirectory);
    final Checkpoints checkpoints = Checkpoints.of(runDirectory);
    final long startNanos = System.nanoTime();
    final double secondsBefore;
    long peak;
    double stepSeconds;
    RunningMeans means = RunningMeans.NONE;
    double lastRate = Double.NaN;
    long lastCheckpointStep = -1;
    Path lastCheckpoint;
    MetricsRecord lastMetrics;
    float[] lastBatch;
    int[] lastLabels;

    Run(TrainingGraph<?> graph, TrainingData data, long total, Checkpoint resumed) {
      this.graph = graph;
      this.data = data;
      this.total = total;
      this.secondsBefore = resumed != null ? resumed.state().seconds() : 0;
      this.peak = resumed != null ? resumed.state().peakBytes() : -1;
      if (resumed != null) {
        lastCheckpoint = resumed.directory();
        lastCheckpointStep = resumed.state().step();
        means = resumed.state().sinceEvaluation();
      }
    }

    /** Accounts for a completed step and tells the listeners. */
    void stepped(
        long step, StepOutcome o, double rate, double seconds, float[] pixels, int[] labels) {
      stepSeconds += seconds;
      means = means.plus(o);
      lastRate = rate;
      lastBatch = pixels;
      lastLabels = labels;
      o.peakBytes().ifPresent(p -> peak = Math.max(peak, p));
      StepReport report =
          new StepReport(
              step,
              total,
              (double) step / data.stepsPerEpoch(),
              o.loss(),
              o.accuracy(),
              means.meanLoss(),
              means.meanAccuracy(),
              rate,
              config.batch() / seconds);
      for (TrainingListener l : listeners) {
        l.stepped(report);
      }
    }

    /** Trains on in {@code next}, after logging and telling the listeners of {@code s}. */
    void switched(TrainingGraph<?> next, ModeSwitch s) throws IOException {
      graph = next;
      metrics.append(s);
      for (TrainingListener l : listeners) {
        l.switchedMode(s);
      }
    }

    double seconds() {
      return secondsBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Trains on in {@code next}, after logging (unless a run resumed at this step logged it before)
     * and telling the listeners of {@code r}.
     */
    void refined(TrainingGraph<?> next, Refinement r) throws IOException {
      graph = next;
      if (metrics.refinements().stream().noneMatch(logged -> logged.step() == r.step())) {
        metrics.append(r);
      }
      for (TrainingListener l : listeners) {
        l.refined(r);
      }
    }

    /**
     * Ott et al.'s check of the network as the checkpoint of step {@code step} holds it: the
     * accuracy on the held-out examples as trained and with every step halved. A run resumed at
     * this step takes the check it logged before instead (the same weights: the same decision).
     */
    StepSizeCheck checkStepSize(long step, int stepsPerEpoch, ImageDataset heldOut)
        throws IOException {
      Optional<StepSizeCheck> logged =
          metrics.stepSizeChecks().stream().filter(c -> c.step() == step).findFirst();
      if (logged.isPresent()) {
        return logged.get();
      }
      Checkpoint at = Checkpoints.read(lastCheckpoint);
      double trained;
      double refined;
      try (InferenceModel<?> m = InferenceModel.open(at)) {
        trained = m.evaluate(heldOut, EVAL_BATCH).accuracy();
      }
      try (InferenceModel<?> m = InferenceModel.open(at, Discretisation.refined(2))) {
        refined = m.evaluate(heldOut, EVAL_BATCH).accuracy();
      }
      StepSizeCheck check =
          new StepSizeCheck(
              step, (int) (step / stepsPerEpoch), trained, refined, config.adaptTolerance());
      metrics.append(check);
      for (TrainingListener l : listeners) {
        l.checkedStepSize(check);
      }
      return check;
    }

    /** Evaluates the test set and appends a line to {@code metrics.jsonl}. */
    void evaluate(long step) throws IOException {
      listeners.forEach(l -> l.evaluating(step));
      Evaluation e = graph.evaluate(data.test(), EVAL_BATCH);
      double rate =
          Double.isNaN(lastRate)
              ? config.schedule().rate(config.learningRate(), Math.max(0, step - 1), total)
              : lastRate;
      MetricsRecord r =
          new MetricsRecord(
              (double) step / data.stepsPerEpoch(),
              step,
              means.meanLoss(),
              means.meanAccuracy(),
              e.loss(),
              e.accuracy(),
              rate,
              seconds(),
              peak,
              means.reconstructionError());
      metrics.append(r);
      lastMetrics = r;
      means = RunningMeans.NONE;
      for (TrainingListener l : listeners) {
        l.evaluated(r);
      }
    }

    /**
     * Writes a checkpoint after checking that the weights are usable (finite, with a finite loss on
     * the last batch); otherwise the run has diverged and the previous checkpoint stays the latest.
     */
    void checkpoint(long step) throws IOException {
      if (step == lastCheckpointStep) {
        return;
      }
      boolean usable =
          lastBatch != null
              ? graph.weightsUsable(lastBatch, lastLabels, config.batch())
              : graph.weightsFinite();
      if (!usable) {
        throw new TrainingDivergedException(
            step, "the updated weights give a NaN or infinite loss", lastCheckpoint);
      }
      CheckpointState state =
          new CheckpointState(
              step,
              data.stepsPerEpoch(),
              seconds(),
              peak,
              means,
              data.shape(),
              data.standardization(),
              config);
      Checkpoint c = checkpoints.write(state, graph::save);
      lastCheckpoint = c.directory();
      lastCheckpointStep = step;
      for (TrainingListener l : listeners) {
        l.checkpointed(c);
      }
    }
  }

  /** Configuration of a {@link Trainer}. */
  public static final class Builder {
    private final TrainingConfig config;
    private final Path runDirectory;
    private DataSplit data;
    private Checkpoint resumeFrom;
    private Checkpoint initialisedFrom;
    private Discretisation discretisation;
    private final List<TrainingListener> listeners = new ArrayList<>();

    private Builder(TrainingConfig config, Path runDirectory) {
      this.config = Objects.requireNonNull(config, "config");
      this.runDirectory = Objects.requireNonNull(runDirectory, "runDirectory");
    }

    /**
     * Trains on these data instead of loading {@link TrainingConfig#data()}; the run records its
     * data as {@value TrainingConfig#IN_MEMORY}, with their image shape and class count.
     */
    public Builder data(DataSplit split) {
      this.data = split;
      return this;
    }

    /**
     * Continues from a checkpoint: its variables, counters and standardisation. The configuration
     * must build the same network (normally the checkpoint's own, perhaps with another length).
     */
    public Builder resumeFrom(Checkpoint checkpoint) {
      this.resumeFrom = checkpoint;
      return this;
    }

    /**
     * Starts a fresh run from {@code source}'s weights and running statistics, its network's ODE
     * integrated by {@code discretisation}: e.g. {@link Discretisation#refined refined(2)}, twice
     * the blocks at half the step sizes, then trained on (Chang et al.'s multi-level training, or
     * the step refinement Ott et al. prescribe for a network that fails {@code ode-check}). The
     * momentum starts at zero. The configuration's model must be {@code
     * discretisation.apply(source's model)} up to its name.
     */
    public Builder initialisedFrom(Checkpoint source, Discretisation discretisation) {
      this.initialisedFrom = Objects.requireNonNull(source, "source");
      this.discretisation = Objects.requireNonNull(discretisation, "discretisation");
      return this;
    }

    public Builder listener(TrainingListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    public Trainer build() {
      if (resumeFrom != null) {
        TrainingConfig had = resumeFrom.state().config();
        if (!had.model().equals(config.model()) || had.precision() != config.precision()) {
          throw new UsageException(
              resumeFrom.directory()
                  + ": holds a "
                  + had.precision()
                  + " "
                  + had.model()
                  + ", not a "
                  + config.precision()
                  + " "
                  + config.model());
        }
      }
      if (initialisedFrom != null) {
        if (resumeFrom != null) {
          throw new IllegalArgumentException(
              "a run either resumes or starts from other weights, not both");
        }
        ModelSpec expected = discretisation.apply(initialisedFrom.state().config().model());
        if (!expected.withName(config.model().name()).equals(config.model())) {
          throw new IllegalArgumentException(
              "the configuration's model "
                  + config.model()
                  + " is not "
                  + expected
                  + ", the network the initial weights are for");
        }
      }
      return new Trainer(this);
    }
  }
}
