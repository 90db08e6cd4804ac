package org.revtrain.trainer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.revtrain.models.Discretisation;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Models;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.StepSizes;
import org.revtrain.trainer.Checkpoint;
import org.revtrain.trainer.Device;
import org.revtrain.trainer.LearningRateSchedule;
import org.revtrain.trainer.ModeSwitch;
import org.revtrain.trainer.ModelCatalog;
import org.revtrain.trainer.Precision;
import org.revtrain.trainer.Refinement;
import org.revtrain.trainer.RunDirectory;
import org.revtrain.trainer.Trainer;
import org.revtrain.trainer.TrainingConfig;
import org.revtrain.trainer.TrainingListener;
import org.revtrain.trainer.TrainingResult;
import org.revtrain.trainer.UsageException;
import org.revtrain.trainer.data.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code revtrain train}: trains a network and ends with one summary line. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains a reversible network; with no options, "
          + Models.DEFAULT
          + " in REVERSIBLE mode on the built-in data (a few minutes on 2 cores), ending with one"
          + " line: test accuracy, peak memory, seconds per step.",
      "Writes config.json, metrics.jsonl (one line per evaluation) and checkpoints/ into --out.",
      "Exit codes: 0 done, 2 bad input, 3 diverged (NaN/infinite loss), 130 stopped by Ctrl-C and"
          + " 143 by SIGTERM, after a checkpoint."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description =
          "A named model (see 'revtrain models') or KIND:BLOCKS:FILTERS[:bn|:nobn],"
              + " e.g. hamiltonian:2,2,2:16,16,32,64 (default: "
              + Models.DEFAULT
              + ").")
  String model;

  @Option(
      names = "--data",
      paramLabel = "SPEC",
      converter = Converters.Data.class,
      description = "Training and test data (default: builtin): " + Converters.Data.FORMS)
  DataSource data;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      converter = Converters.Mode.class,
      description =
          "reversible, stored or checkpoint:K (default: reversible; stored for a model"
              + " whose blocks are not invertible, see 'revtrain models').")
  GradientMode mode;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description =
          "Epochs to train (default: "
              + TrainingConfig.DEFAULT_EPOCHS
              + "); not with --steps. With --resume: the run's new total, not epochs to add (the"
              + " schedule as for --steps).")
  Integer epochs;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description =
          "Steps to train instead of epochs. With --resume: the run's new total, not steps to add;"
              + " the schedule then runs over the new total from the resumed step on (steps already"
              + " taken keep their rates), so give the full length when a run starts to get a"
              + " straight run's schedule.")
  Integer steps;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Examples per batch (default: " + TrainingConfig.DEFAULT_BATCH + ").")
  Integer batch;

  @Option(
      names = "--lr",
      paramLabel = "X",
      description = "Base learning rate (default: " + TrainingConfig.DEFAULT_LEARNING_RATE + ").")
  Double lr;

  @Option(
      names = "--schedule",
      paramLabel = "S",
      converter = Converters.Schedule.class,
      description =
          "step (x0.1 at 50%% and 75%% of the run), step:F1,F2,..., cosine or constant (default:"
              + " step).")
  LearningRateSchedule schedule;

  @Option(
      names = "--momentum",
      paramLabel = "X",
      description = "SGD momentum (default: " + TrainingConfig.DEFAULT_MOMENTUM + ").")
  Double momentum;

  @Option(
      names = "--weight-decay",
      paramLabel = "X",
      description =
          "L2 weight decay of kernels and weights (default: "
              + TrainingConfig.DEFAULT_WEIGHT_DECAY
              + ").")
  Double weightDecay;

  @Option(
      names = "--smoothness",
      paramLabel = "ALPHA",
      description =
          "Weight of the smoothness-in-time regulariser (default: "
              + TrainingConfig.DEFAULT_SMOOTHNESS
              + ").")
  Double smoothness;

  @Option(
      names = "--h",
      paramLabel = "X",
      description = "Step size h of every block (default: the model's).")
  Double h;

  @Option(
      names = "--stochastic-depth",
      paramLabel = "P",
      description =
          "Stochastic depth: block l of L survives a training step with probability 1 - (l/L)(1 -"
              + " P), P in (0, 1] the last block's (default: the model's, 1: off).")
  Double stochasticDepth;

  @Option(
      names = "--float64-state",
      negatable = true,
      description =
          "Carry the reversible units' state in float64 while their convolutions run in --dtype"
              + " (float32 or bfloat16): exact reconstruction, REVERSIBLE gradients equal to STORED"
              + " ones (default: the model's, on).")
  Boolean float64State;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed of weights, shuffling, augmentation, stochastic depth (default: "
              + TrainingConfig.DEFAULT_SEED
              + ").")
  Long seed;

  @Option(
      names = "--dtype",
      paramLabel = "TYPE",
      converter = Converters.Dtype.class,
      description =
          "float32, float64, or bfloat16: mixed precision, the reversible units' convolutions and"
              + " batch norm in bfloat16 on float32 weights, the rest in float32 (default:"
              + " float32).")
  Precision dtype;

  @Option(
      names = "--device",
      paramLabel = "DEV",
      converter = Converters.Devices.class,
      description = "cpu or gpu (default: cpu).")
  Device device;

  @Option(
      names = "--train-fraction",
      paramLabel = "F",
      description =
          "Train on a fraction F in (0, 1] of the training set: a stratified subsample drawn from"
              + " --seed, every class kept in proportion (default: 1, all of it).")
  Double trainFraction;

  @Option(
      names = "--refine-at",
      paramLabel = "E1,E2,...",
      split = ",",
      description =
          "Double every unit's blocks after these epochs, each step split in two (h/2), the"
              + " weights, running statistics and momentum carried over, in this run and its"
              + " metrics.jsonl; the model must be an ODE discretisation (not revnet).")
  List<Integer> refineAt;

  @Option(
      names = "--adapt-steps",
      description =
          "Adapt the step size as Ott et al. do: after every epoch, compare the accuracy on a"
              + " held-out tenth of the training set (not trained on) of the network and of its ODE"
              + " with steps h/2; double the blocks when they differ by more than --tolerance"
              + " (logged in metrics.jsonl).")
  boolean adaptSteps;

  @Option(
      names = "--tolerance",
      paramLabel = "PP",
      description =
          "With --adapt-steps: the largest accuracy difference, in percentage points, of a network"
              + " that keeps its steps (default: "
              + TrainingConfig.DEFAULT_STEP_SIZE_TOLERANCE
              + ").")
  Double tolerance;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description =
          "Also checkpoint every N steps (default: 0, only at epoch ends and at the end).")
  Integer checkpointEvery;

  @Option(
      names = "--drift-tolerance",
      paramLabel = "X",
      converter = Converters.DriftTolerance.class,
      description =
          "Largest reconstruction error a unit may show: above it the unit switches to CHECKPOINT"
              + " (or STORED) and the run goes on; off: never (default: "
              + TrainingConfig.DEFAULT_DRIFT_TOLERANCE
              + ").")
  OptionalDouble driftTolerance;

  @Option(
      names = "--augment",
      negatable = true,
      description =
          "Pad-4 random crop and horizontal flip of training images (default: on for colour data"
              + " except builtin, whose classes depend on orientation).")
  Boolean augment;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Run directory (default: runs/MODEL-TIMESTAMP; with --resume, the resumed run's).")
  Path out;

  @Option(
      names = "--init-from",
      paramLabel = "DIR",
      description =
          "Start a new run from the weights of a run or checkpoint DIR, its network's ODE"
              + " integrated by --refine/--solver (e.g. --refine 2: twice the blocks at half the"
              + " steps); the model is DIR's so integrated.")
  Path initFrom;

  @Mixin DiscretisationOptions discretisation;

  @Option(
      names = "--memory-budget",
      paramLabel = "SIZE",
      converter = MemoryGate.Budget.class,
      description =
          "TensorFlow memory a step may use, e.g. 4g: each unit's mode is planned to fit it"
              + " (unless --mode is given); a configuration predicted not to fit is refused.")
  Long memoryBudget;

  private Checkpoint sourceCheckpoint;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description =
          "Continue the run in DIR from its latest readable checkpoint with its configuration;"
              + " --steps/--epochs set a new total, optimiser options, --mode and --device may"
              + " change, the network, data, batch and seed may not.")
  Path resume;

  /**
   * Options a resumed run cannot change, with the setting each sets: they define the network's
   * variables or the sequence of batches. The optimiser's settings, the mode, the device, the
   * length and the checkpoint interval may change (then the run no longer repeats an uninterrupted
   * one).
   */
  private static final Map<String, Fixed> FIXED_WHEN_RESUMING =
      Map.ofEntries(
          Map.entry("--model", new Fixed("model", TrainingConfig::model)),
          Map.entry("--h", new Fixed("model", TrainingConfig::model)),
          Map.entry("--stochastic-depth", new Fixed("model", TrainingConfig::model)),
          Map.entry("--float64-state", new Fixed("model", TrainingConfig::model)),
          Map.entry("--data", new Fixed("data", TrainingConfig::data)),
          Map.entry("--batch", new Fixed("batch", TrainingConfig::batch)),
          Map.entry("--seed", new Fixed("seed", TrainingConfig::seed)),
          Map.entry("--dtype", new Fixed("dtype", TrainingConfig::precision)),
          Map.entry("--augment", new Fixed("augment", TrainingConfig::augment)),
          Map.entry("--train-fraction", new Fixed("train fraction", TrainingConfig::fraction)),
          Map.entry("--refine-at", new Fixed("refinement epochs", TrainingConfig::refinements)),
          Map.entry(
              "--adapt-steps", new Fixed("step-size tolerance", TrainingConfig::adaptTolerance)),
          Map.entry(
              "--tolerance", new Fixed("step-size tolerance", TrainingConfig::adaptTolerance)));

  /** A setting of the configuration that a resumed run keeps: its name and its value. */
  private record Fixed(String setting, Function<TrainingConfig, Object> value) {}

  @Override
  public Integer call() throws IOException {
    checkOptions();
    Checkpoint checkpoint = resume == null ? null : NamedInput.checkpoint(spec, "--resume", resume);
    TrainingConfig config;
    try {
      config = checkpoint == null ? fromOptions() : resumed(checkpoint);
    } catch (IllegalArgumentException e) { // a model that cannot train in the mode
      throw usage(e.getMessage());
    }
    config.device().checkAvailable();
    if (checkpoint == null && mode == null && !config.model().kind().reversible()) {
      spec.commandLine()
          .getErr()
          .println(
              "revtrain train: "
                  + config.model().name()
                  + " has "
                  + config.model().kind().id()
                  + " blocks, which are not invertible: training in "
                  + config.mode()
                  + " mode, its only mode");
      spec.commandLine().getErr().flush();
    }
    config = MemoryGate.check(config, memoryBudget, mode != null, spec.commandLine().getOut());
    Path runDirectory = runDirectory(config, checkpoint);
    OutputDirectory.require(out != null || resume == null ? "--out" : "--resume", runDirectory);
    if (checkpoint != null && !continues(checkpoint, config, runDirectory)) {
      return ExitCodes.OK;
    }

    ModesInForce modes = new ModesInForce(config.modes(), config.model().name());
    Trainer.Builder builder =
        Trainer.builder(config, runDirectory).listener(progress()).listener(modes);
    if (checkpoint != null) {
      builder.resumeFrom(checkpoint);
    }
    if (initFrom != null) {
      builder.initialisedFrom(source(), discretisation.of(source().state().config().model()));
    }
    Trainer trainer = NamedInput.of("--resume", builder::build);
    try (StopOnInterrupt stop = new StopOnInterrupt(trainer)) {
      TrainingResult result = trainer.run();
      int code = report(result, modes.model, modes.described());
      stop.reported();
      return code;
    }
  }

  /** A progress line on a terminal; plain lines on other output (a file, a pipe). */
  private TrainingListener progress() {
    PrintWriter stdout = spec.commandLine().getOut();
    return System.console() != null ? new ProgressDisplay() : new ProgressLog(stdout);
  }

  private void checkOptions() {
    if (initFrom == null && discretisation.given()) {
      throw usage(
          discretisation.flag()
              + " needs --init-from: it says how to integrate that run's network");
    }
    if (initFrom != null) {
      if (resume != null) {
        throw usage(
            "--init-from starts a new run from other weights; --resume continues a run: give one of"
                + " them");
      }
      for (String flag : new String[] {"--model", "--h", "--float64-state", "--stochastic-depth"}) {
        if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
          throw usage(
              flag
                  + " cannot be given with --init-from: the network is --init-from's, refined by"
                  + " --refine/--solver");
        }
      }
    }
    if (epochs != null && steps != null) {
      throw usage("--epochs and --steps cannot both be given: a run is as long as one of them");
    }
    atLeast("--epochs", epochs, 1);
    atLeast("--steps", steps, 1);
    atLeast("--batch", batch, 1);
    atLeast("--checkpoint-every", checkpointEvery, 0);
    if (refineAt != null) {
      for (int i = 0; i < refineAt.size(); i++) {
        if (refineAt.get(i) < 1 || (i > 0 && refineAt.get(i) <= refineAt.get(i - 1))) {
          throw usage(
              "--refine-at must list increasing epochs of at least 1, got "
                  + refineAt.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
      }
    }
    if (tolerance != null && !adaptSteps) {
      throw usage("--tolerance needs --adapt-steps: it is the step-size check's tolerance");
    }
    if (tolerance != null && !(tolerance >= 0 && Double.isFinite(tolerance))) {
      throw usage(
          "--tolerance must be a finite number of percentage points >= 0, got " + tolerance);
    }
    if (adaptSteps && refineAt != null) {
      throw usage(
          "--adapt-steps and --refine-at cannot both be given: the blocks are doubled at given"
              + " epochs or when the step-size check fails");
    }
    if (trainFraction != null && !(trainFraction > 0 && trainFraction <= 1)) {
      throw usage("--train-fraction must be in (0, 1], got " + trainFraction);
    }
    if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
      throw usage("--lr must be a finite number > 0, got " + lr);
    }
    if (momentum != null && !(momentum >= 0 && momentum < 1)) {
      throw usage("--momentum must be in [0, 1), got " + momentum);
    }
    if (weightDecay != null && !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
      throw usage("--weight-decay must be a finite number >= 0, got " + weightDecay);
    }
    if (smoothness != null && !(smoothness >= 0 && Double.isFinite(smoothness))) {
      throw usage("--smoothness must be a finite number >= 0, got " + smoothness);
    }
    if (h != null) {
      try {
        StepSizes.require(h);
      } catch (IllegalArgumentException e) {
        throw usage("--h: " + e.getMessage());
      }
    }
  }

  private void atLeast(String flag, Integer value, int min) {
    if (value != null && value < min) {
      throw usage(flag + " must be at least " + min + ", got " + value);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The checkpoint --init-from names (located once). */
  private Checkpoint source() {
    if (sourceCheckpoint == null) {
      sourceCheckpoint = NamedInput.checkpoint(spec, "--init-from", initFrom);
    }
    return sourceCheckpoint;
  }

  /**
   * The model of --init-from's network integrated by --refine/--solver, named after it, e.g. {@code
   * hamiltonian-tiny-refined2}.
   */
  private ModelSpec grownModel() {
    ModelSpec trained = source().state().config().model();
    Discretisation d = discretisation.of(trained);
    String name = trained.name();
    if (d.solver() != null && d.solver() != trained.kind()) {
      name += "-" + d.solver().id();
    }
    if (d.refinement() > 1) {
      name += "-refined" + d.refinement();
    }
    return d.apply(trained).withName(name);
  }

  /** The model the options name. */
  private ModelSpec modelFromOptions() {
    if (initFrom != null) {
      return grownModel();
    }
    String name = model != null ? model : Models.DEFAULT;
    ModelSpec m;
    try {
      m = ModelCatalog.resolve(name);
    } catch (IllegalArgumentException e) {
      throw usage("--model " + name + ": " + e.getMessage());
    }
    if (h != null) {
      try {
        m = ModelCatalog.withStepSize(m, h);
      } catch (IllegalArgumentException e) {
        throw usage("--h " + h + ": " + e.getMessage());
      }
    }
    if (float64State != null) {
      m = m.toBuilder().float64State(float64State).build();
    }
    if (stochasticDepth != null) {
      try {
        m = m.toBuilder().finalSurvival(stochasticDepth).build();
      } catch (IllegalArgumentException e) {
        throw usage("--stochastic-depth " + stochasticDepth + ": " + e.getMessage());
      }
    }
    return m;
  }

  /** A fresh run's configuration: the options over the defaults. */
  private TrainingConfig fromOptions() {
    ModelSpec m = modelFromOptions();
    TrainingConfig.Builder b = TrainingConfig.builder().model(m);
    if (!m.kind().reversible()) {
      b.mode(GradientMode.stored()); // the only mode of such a model, unless --mode says otherwise
    }
    given(data, d -> b.data(d.spec()));
    given(batch, b::batch);
    given(seed, b::seed);
    if (dtype == Precision.BFLOAT16 && !m.kind().reversible()) {
      throw usage(
          "--dtype bfloat16: "
              + m.kind().id()
              + " blocks are not reversible; mixed precision is for reversible kinds");
    }
    given(dtype, b::precision);
    b.augment(augment);
    b.trainFraction(trainFraction);
    if (refineAt != null || adaptSteps) {
      try {
        Discretisation.refined(2).apply(m);
      } catch (IllegalArgumentException e) {
        throw usage((adaptSteps ? "--adapt-steps: " : "--refine-at: ") + e.getMessage());
      }
    }
    b.refineAt(refineAt);
    if (adaptSteps) {
      b.adaptTolerance(tolerance != null ? tolerance : TrainingConfig.DEFAULT_STEP_SIZE_TOLERANCE);
    }
    return changeable(b).build();
  }

  /**
   * A resumed run's configuration: the checkpoint's, with the options given that may change. The
   * options that define the network or the batches must agree with the checkpoint.
   */
  private TrainingConfig resumed(Checkpoint checkpoint) {
    TrainingConfig had = checkpoint.state().config();
    TrainingConfig wanted = fromOptions();
    for (Map.Entry<String, Fixed> fixed : FIXED_WHEN_RESUMING.entrySet()) {
      String flag = fixed.getKey();
      Function<TrainingConfig, Object> value = fixed.getValue().value();
      if (spec.commandLine().getParseResult().hasMatchedOption(flag)
          && !Objects.equals(value.apply(wanted), value.apply(had))) {
        throw usage(
            flag
                + " differs from the resumed run's "
                + fixed.getValue().setting()
                + " ("
                + value.apply(had)
                + "): a resumed run keeps its network and batches; leave "
                + flag
                + " out");
      }
    }
    return changeable(had.toBuilder()).build();
  }

  /**
   * Sets the options given that a resumed run may change: its length, mode, optimiser, device,
   * checkpoint interval and drift tolerance.
   */
  private TrainingConfig.Builder changeable(TrainingConfig.Builder b) {
    given(epochs, b::epochs);
    given(steps, b::steps);
    given(mode, b::mode);
    given(lr, b::learningRate);
    given(schedule, b::schedule);
    given(momentum, b::momentum);
    given(weightDecay, b::weightDecay);
    given(smoothness, b::smoothness);
    given(device, b::device);
    given(checkpointEvery, b::checkpointEvery);
    given(driftTolerance, t -> b.driftTolerance(t.isPresent() ? t.getAsDouble() : null));
    return b;
  }

  /** Passes an option's value to {@code setter} when the option was given. */
  private static <T> void given(T value, Consumer<? super T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  private Path runDirectory(TrainingConfig config, Checkpoint checkpoint) {
    if (checkpoint != null && (out == null || sameDirectory(out, checkpoint.runDirectory()))) {
      // as the user wrote it, where --resume named the run directory
      return sameDirectory(resume, checkpoint.runDirectory()) ? resume : checkpoint.runDirectory();
    }
    if (out != null) {
      OutputDirectory.require("--out", out); // a path it cannot write is the first thing to say
      RunDirectory.Contents held = NamedInput.of("--out", () -> RunDirectory.inspect(out));
      if (held == RunDirectory.Contents.RUN) {
        throw new UsageException(
            "--out "
                + out
                + ": already holds a run; continue it with --resume "
                + out
                + " or choose another directory");
      }
      NamedInput.check("--out", () -> RunDirectory.requireForNewRun(out));
      if (held == RunDirectory.Contents.RUN_WITHOUT_CHECKPOINT) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(
            "revtrain train: "
                + out
                + " holds a run that stopped before its first checkpoint;"
                + " starting it again");
        err.flush();
      }
      return out;
    }
    String stamp =
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
    String base = config.model().name().replaceAll("[^A-Za-z0-9._-]+", "_") + "-" + stamp;
    Path dir = Path.of("runs", base);
    for (int k = 2; Files.exists(dir); k++) {
      dir = Path.of("runs", base + "-" + k);
    }
    return dir;
  }

  private static boolean sameDirectory(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  /**
   * Says from which step to which total a resumed run continues; false, after saying so, if it has
   * reached its total already (nothing to train, nothing written).
   */
  private boolean continues(Checkpoint checkpoint, TrainingConfig config, Path runDirectory) {
    long step = checkpoint.state().step();
    long total = config.totalSteps(checkpoint.state().stepsPerEpoch());
    if (step > total) {
      String given = steps != null ? "--steps " + steps : "--epochs " + epochs;
      throw usage(
          given
              + ": the run is at step "
              + step
              + " already; with --resume, --steps and --epochs"
              + " give the run's new total, not steps to add");
    }
    PrintWriter outWriter = spec.commandLine().getOut();
    if (step == total) {
      outWriter.println(
          runDirectory
              + ": complete at step "
              + step
              + " of "
              + total
              + "; to extend it, give a"
              + " larger total, e.g. revtrain train --resume "
              + runDirectory
              + " --steps "
              + 2 * total);
    } else {
      outWriter.println(
          "resuming "
              + runDirectory
              + " at step "
              + step
              + " of "
              + total
              + " ("
              + checkpoint.directory().getFileName()
              + ")");
    }
    outWriter.flush();
    return step < total;
  }

  /** The network and the units' modes as refinements and the run's drift guard leave them. */
  private static final class ModesInForce implements TrainingListener {
    private ModePlan plan;
    private String model;

    ModesInForce(ModePlan plan, String model) {
      this.plan = plan;
      this.model = model;
    }

    @Override
    public void switchedMode(ModeSwitch change) {
      plan = plan.with(change.unit(), change.to());
    }

    @Override
    public void refined(Refinement r) {
      model = r.to();
    }

    /** One mode if every unit has it, else the plan. */
    String described() {
      return plan.isUniform() ? plan.mode(0).toString() : plan.toString();
    }
  }

  private int report(TrainingResult r, String model, String modes) {
    PrintWriter outWriter = spec.commandLine().getOut();
    if (r.status() == TrainingResult.Status.STOPPED) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "revtrain train: stopped at step "
              + r.steps()
              + " of "
              + r.totalSteps()
              + "; checkpoint "
              + r.lastCheckpoint().map(Path::toString).orElse("(none)")
              + "; continue with: revtrain train --resume "
              + r.runDirectory());
      err.flush();
      return ExitCodes.INTERRUPTED;
    }
    String accuracy =
        r.finalMetrics()
            .map(m -> String.format(Locale.ROOT, "%.2f%%", 100 * m.testAccuracy()))
            .orElse("n/a");
    String peak =
        r.peakBytes().isPresent()
            ? String.format(Locale.ROOT, "%.1f MiB", r.peakBytes().getAsLong() / 1048576.0)
            : "unknown (run with TF_CPU_ALLOCATOR_USE_BFC=true)";
    String perStep =
        Double.isNaN(r.secondsPerStep())
            ? "n/a"
            : String.format(Locale.ROOT, "%.3f s/step", r.secondsPerStep());
    double seconds = r.finalMetrics().map(m -> m.seconds()).orElse(Double.NaN);
    outWriter.println(
        String.format(
            Locale.ROOT,
            "%s %s: test accuracy %s, peak memory %s, %s (%d %s, %.0f s) -> %s",
            model,
            modes,
            accuracy,
            peak,
            perStep,
            r.steps(),
            r.steps() == 1 ? "step" : "steps",
            seconds,
            r.runDirectory()));
    outWriter.flush();
    return ExitCodes.OK;
  }
}
