package org.revtrain.models.plan;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.models.BlockKind;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.NetworkShape;
import org.revtrain.reversible.GradientMode;

/**
 * Predicts the TensorFlow allocator's peak of one training step of a network, unit by unit:
 *
 * <pre>
 *   peak = V·b + S·T·b                         variables, optimizer slots
 *        + Σ_u kept_u(mode_u)                   what each unit keeps for its backward pass
 *        + N · max_u e_u · max_u ω(mode_u)      the backward's working set
 *
 *   kept_u = β · N · n_u · e_u                  STORED: every block's activations
 *          = γ · N · ⌈n_u / k⌉ · e_u            CHECKPOINT(k): every k-th block's input
 *          = 0                                  REVERSIBLE: the unit's output only (in ω)
 *   ω = ω_s (STORED), ω_r (REVERSIBLE), ω_r + (k/2)·ω_c (CHECKPOINT(k): one segment)
 * </pre>
 *
 * with V variables and T trainable scalars of b bytes, S optimizer slots per trainable scalar (1
 * for momentum), batch N, and n_u blocks whose state tensors hold e_u scalars per example ({@link
 * NetworkShape}). Everything but β, γ, ω_s, ω_r and ω_c follows from the network's shapes; those
 * are bytes per state scalar that depend on how many intermediate tensors TensorFlow keeps per
 * block and on the allocator's rounding, so they are {@link Calibration calibrated} once per block
 * kind from six measured steps.
 */
public final class MemoryModel {
  private final NetworkShape shape;
  private final Calibration calibration;
  private final int batch;
  private final int bytes;
  private final int optimizerSlots;

  /**
   * @param shape the network's shape
   * @param batch examples per step
   * @param bytes bytes of the network's floating-point type (4 or 8)
   * @param optimizerSlots slots per trainable scalar the optimizer keeps (1 for momentum SGD)
   */
  public MemoryModel(NetworkShape shape, int batch, int bytes, int optimizerSlots) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    this.shape = shape;
    this.batch = batch;
    this.bytes = bytes;
    this.optimizerSlots = optimizerSlots;
    this.calibration =
        Calibration.of(shape.spec().kind()).scaled(bytes, shape.spec().float64State() ? 8 : bytes);
  }

  /** {@return the network's shape the model predicts for} */
  public NetworkShape shape() {
    return shape;
  }

  /** {@return the batch size N} */
  public int batch() {
    return batch;
  }

  /**
   * {@return bytes of the variables and the optimizer's slots: held before and after every step}
   */
  public long persistentBytes() {
    return shape.variables() * bytes + optimizerSlots * shape.trainable() * bytes;
  }

  /**
   * Bytes of the backward's working set with {@code plan}: its most demanding mode's.
   *
   * @param plan the mode of each unit
   * @return the bytes
   */
  public long workingBytes(ModePlan plan) {
    long largest = shape.units().stream().mapToLong(NetworkShape.Unit::elements).max().orElse(0);
    double omega = plan.modes().stream().mapToDouble(calibration::working).max().orElse(0);
    return Math.round(omega * batch * largest);
  }

  /**
   * Bytes unit {@code u} keeps for its backward pass in {@code mode}.
   *
   * @param u the unit, 0 at the bottom
   * @param mode its mode
   * @return the bytes
   */
  public long keptBytes(int u, GradientMode mode) {
    NetworkShape.Unit unit = shape.units().get(u);
    double perBlock = (double) batch * unit.elements();
    if (mode instanceof GradientMode.Stored) {
      return Math.round(calibration.stored() * perBlock * unit.blocks());
    }
    if (mode instanceof GradientMode.Checkpoint c) {
      int kept = (unit.blocks() + c.every() - 1) / c.every();
      return Math.round(calibration.checkpoint() * perBlock * kept);
    }
    return 0;
  }

  /**
   * The predicted peak of one step with {@code plan}.
   *
   * @param plan the mode of each unit
   * @return the peak, in bytes
   */
  public long peakBytes(ModePlan plan) {
    long peak = persistentBytes() + workingBytes(plan);
    for (int u = 0; u < shape.units().size(); u++) {
      peak += keptBytes(u, plan.mode(u));
    }
    return peak;
  }

  /**
   * Compute of unit {@code u} in {@code mode} relative to STORED's: a step is a forward and a
   * backward pass, the backward about twice the forward's work (a vector-Jacobian product per
   * operation), so 3 forwards; reconstruction adds the inverse, one more: 4/3 (a Hamiltonian block:
   * 16 convolutions instead of 12).
   *
   * @param mode the mode
   * @return 1 for STORED, 4/3 for the reconstructing modes
   */
  public static double relativeCompute(GradientMode mode) {
    return mode instanceof GradientMode.Stored ? 1.0 : 4.0 / 3.0;
  }

  /**
   * Relative compute of a step with {@code plan}: its units' weighted by their convolution work.
   *
   * @param plan the mode of each unit
   * @return the step's compute relative to all-STORED
   */
  public double relativeCompute(ModePlan plan) {
    double all = 0;
    double planned = 0;
    for (int u = 0; u < shape.units().size(); u++) {
      NetworkShape.Unit unit = shape.units().get(u);
      double w = (double) unit.blocks() * unit.convolutionWork();
      all += w;
      planned += w * relativeCompute(plan.mode(u));
    }
    return planned / all;
  }

  /** Every unit's mode in turn, for planners that try each assignment. */
  List<GradientMode> candidates() {
    List<GradientMode> c = new ArrayList<>(List.of(GradientMode.stored()));
    if (shape.spec().kind().reversible()) {
      c.add(GradientMode.reversible());
    }
    return c;
  }

  /**
   * Bytes per state scalar (of the batch) that TensorFlow keeps: per stored block ({@code stored},
   * β), per checkpoint ({@code checkpoint}, γ), and in the working set of a step whose units are
   * all stored ({@code storedWorking}, ω_s) or reconstruct ({@code reversibleWorking}, ω_r), and
   * what a checkpointed unit's segment adds to the latter at k = 2 ({@code segmentWorking}, ω_c).
   */
  record Calibration(
      double stored,
      double checkpoint,
      double storedWorking,
      double reversibleWorking,
      double segmentWorking) {

    double working(GradientMode mode) {
      if (mode instanceof GradientMode.Stored) {
        return storedWorking;
      }
      int segment = mode instanceof GradientMode.Checkpoint c ? c.every() : 0;
      return reversibleWorking + segment / 2.0 * segmentWorking;
    }

    /**
     * The constants of {@code kind}, fitted to the four steps {@link Measured} holds. Kinds not
     * measured take those of a kind with the same state layout.
     */
    static Calibration of(BlockKind kind) {
      return switch (kind) {
        case MIDPOINT, MIDPOINT_ANTISYMMETRIC, LEAPFROG, RESNET, EULER, LM_RESNET, RK4 ->
            Measured.MIDPOINT.fit();
        case REVNET, REVNET_BOTTLENECK -> Measured.REVNET.fit();
        default -> Measured.HAMILTONIAN.fit();
      };
    }

    /**
     * These constants for a network of {@code bytes}-byte scalars and a {@code stateBytes}-byte
     * state, scaled by the bytes of one scalar of each against the calibration's (4 + 8): an
     * estimate, the calibration measured float32 convolutions and a float64 state only.
     */
    Calibration scaled(int bytes, int stateBytes) {
      double f = (bytes + stateBytes) / 12.0;
      return new Calibration(
          stored * f, checkpoint * f, storedWorking * f, reversibleWorking * f, segmentWorking * f);
    }
  }

  /**
   * TF allocator peaks of one trainer step (momentum SGD: one slot per trainable scalar, weight
   * decay, smoothness) of a kind's network in Chang et al.'s three-unit layout (filters 32, 32, 64,
   * 112), batch 32, 32x32x3 images, 10 classes, float32 with a float64 state: STORED and
   * CHECKPOINT(2) at two depths, REVERSIBLE at the smaller. Measured on 2026-12-03 on a 2-core AMD
   * EPYC by {@code revtrain plan --measure}, each step in a fresh JVM; {@code revtrain bench plan}
   * repeats them.
   *
   * @param kind the block kind
   * @param blocks blocks per unit of the smaller network
   * @param deeper blocks per unit of the deeper one
   */
  enum Measured {
    HAMILTONIAN(
        BlockKind.HAMILTONIAN, 3, 18, 131910860L, 695520460L, 88290099L, 116706508L, 235615027L),
    REVNET(BlockKind.REVNET, 3, 18, 137887744L, 725824307L, 91435827L, 122054246L, 250609664L),
    MIDPOINT(BlockKind.MIDPOINT, 6, 36, 172385894L, 910478540L, 106011033L, 165150720L, 649383116L);

    static final int BATCH = 32;
    static final int IMAGE = 32;
    static final int CHECKPOINT_EVERY = 2;

    final BlockKind kind;
    final int blocks;
    final int deeper;
    final long stored;
    final long storedDeeper;
    final long reversible;
    final long checkpoint;
    final long checkpointDeeper;

    Measured(
        BlockKind kind,
        int blocks,
        int deeper,
        long stored,
        long storedDeeper,
        long reversible,
        long checkpoint,
        long checkpointDeeper) {
      this.kind = kind;
      this.blocks = blocks;
      this.deeper = deeper;
      this.stored = stored;
      this.storedDeeper = storedDeeper;
      this.reversible = reversible;
      this.checkpoint = checkpoint;
      this.checkpointDeeper = checkpointDeeper;
    }

    /** The network these steps measured, with {@code blocks} blocks per unit. */
    ModelSpec spec(int blocksPerUnit) {
      return ModelSpec.builder(kind)
          .blocksPerUnit(blocksPerUnit, blocksPerUnit, blocksPerUnit)
          .filters(32, 32, 64, 112)
          .batchNorm(kind.supportsBatchNorm())
          .build();
    }

    /**
     * β and γ from the growth between the two depths (less the weights'), then ω_s, ω_r and ω_c
     * from the smaller network's steps.
     */
    Calibration fit() {
      NetworkShape small = NetworkShape.of(spec(blocks), 3, 10, IMAGE);
      NetworkShape deep = NetworkShape.of(spec(deeper), 3, 10, IMAGE);
      double sum = small.units().stream().mapToLong(NetworkShape.Unit::elements).sum();
      double largest =
          small.units().stream().mapToLong(NetworkShape.Unit::elements).max().orElse(1);
      // variables and momentum slots
      double weights = 4.0 * (small.variables() + small.trainable());
      double moreWeights = 4.0 * (deep.variables() + deep.trainable()) - weights;
      double beta =
          (storedDeeper - stored - moreWeights) / (BATCH * (double) (deeper - blocks) * sum);
      double gamma =
          (checkpointDeeper - checkpoint - moreWeights)
              / (BATCH * (double) (kept(deeper) - kept(blocks)) * sum);
      double storedWorking = (stored - weights - beta * BATCH * blocks * sum) / (BATCH * largest);
      double reversibleWorking = (reversible - weights) / (BATCH * largest);
      double segmentWorking =
          (checkpoint - weights - gamma * BATCH * kept(blocks) * sum) / (BATCH * largest)
              - reversibleWorking;
      return new Calibration(beta, gamma, storedWorking, reversibleWorking, segmentWorking);
    }

    private static int kept(int blocks) {
      return (blocks + CHECKPOINT_EVERY - 1) / CHECKPOINT_EVERY;
    }
  }
}
