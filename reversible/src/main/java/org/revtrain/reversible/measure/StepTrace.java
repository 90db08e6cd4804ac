package org.revtrain.reversible.measure;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.AllocatorMemoryUsed;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * What one traced {@code Session.run} did: the TensorFlow allocator's peak and the executed kernels
 * by op type (every loop iteration counts), read from the step statistics of a FULL_TRACE run.
 */
public final class StepTrace {
  private static final Pattern OP_TYPE = Pattern.compile("=\\s*([A-Za-z0-9_]+)\\(");

  private final long allocatorPeakBytes;
  private final long allocatorBaseBytes;
  private final Map<String, Integer> executedOps;
  private final Map<String, Integer> convolutionTypes;

  private StepTrace(
      long allocatorPeakBytes,
      long allocatorBaseBytes,
      Map<String, Integer> executedOps,
      Map<String, Integer> convolutionTypes) {
    this.allocatorPeakBytes = allocatorPeakBytes;
    this.allocatorBaseBytes = allocatorBaseBytes;
    this.executedOps = executedOps;
    this.convolutionTypes = convolutionTypes;
  }

  /** Held by every traced run: TensorFlow's profiler allows one traced run per process. */
  private static final Object PROFILER = new Object();

  /**
   * Runs {@code runner} with FULL_TRACE and returns its result, whose metadata holds the step
   * statistics that {@link #of(RunMetadata)} reads. TensorFlow records a traced run with its
   * process-wide profiler, which refuses a second traced run while one is active ("Another
   * profiling session active"), so traced runs of every session of this process take turns here;
   * untraced runs are not held up.
   *
   * @param runner the run, with its feeds, fetches and targets
   * @return the run's result, with the step statistics in its metadata
   */
  public static Result run(Session.Runner runner) {
    RunOptions fullTrace =
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    synchronized (PROFILER) {
      return runner.setOptions(fullTrace).runAndFetchMetadata();
    }
  }

  /**
   * The number of operations in {@code graph}'s top level: a loop counts as its one {@code While}
   * op, whatever its body holds (the bodies are functions of the graph's library, not counted). The
   * measure of graph size that does not grow with depth in REVERSIBLE mode.
   *
   * @param graph the graph
   * @return its top-level op count
   */
  public static int operationCount(Graph graph) {
    int n = 0;
    for (var it = graph.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  /**
   * Reads the trace of one run.
   *
   * @param metadata the metadata of a run made with FULL_TRACE (see {@link #run})
   * @return the trace
   */
  public static StepTrace of(RunMetadata metadata) {
    long peak = 0;
    long base = Long.MAX_VALUE;
    Map<String, Integer> ops = new TreeMap<>();
    Map<String, Integer> convolutionTypes = new TreeMap<>();
    for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
      for (NodeExecStats node : device.getNodeStatsList()) {
        for (AllocatorMemoryUsed m : node.getMemoryList()) {
          peak = Math.max(peak, m.getAllocatorBytesInUse());
          if (m.getAllocatorBytesInUse() > 0) {
            base = Math.min(base, m.getAllocatorBytesInUse());
          }
        }
        Matcher t = OP_TYPE.matcher(node.getTimelineLabel());
        if (t.find()) {
          ops.merge(t.group(1), 1, Integer::sum);
          if (CONVOLUTIONS.contains(kernelFamilyFree(t.group(1))) && node.getOutputCount() > 0) {
            String type = node.getOutput(0).getTensorDescription().getDtype().name();
            convolutionTypes.merge(type.replaceFirst("^DT_", ""), 1, Integer::sum);
          }
        }
      }
    }
    return new StepTrace(
        peak, base == Long.MAX_VALUE ? 0 : base, Map.copyOf(ops), Map.copyOf(convolutionTypes));
  }

  /**
   * The largest number of bytes the TensorFlow allocator held after any node of the step.
   *
   * @return the peak, in bytes
   * @throws IllegalStateException if the allocator keeps no totals: TensorFlow's default CPU
   *     allocator does not; its BFC allocator does, chosen by the environment variable {@value
   *     #BFC_VARIABLE}{@code =true} set before TensorFlow loads
   */
  public long allocatorPeakBytes() {
    if (allocatorPeakBytes == 0) {
      throw new IllegalStateException(
          "the TensorFlow allocator reported no bytes in use; start the JVM with "
              + BFC_VARIABLE
              + "=true in its environment to measure memory");
    }
    return allocatorPeakBytes;
  }

  /**
   * The fewest bytes the allocator held after any node of the step: what the session keeps between
   * steps (variables, optimizer slots, constants), since the step's own tensors come and go on top
   * of it.
   *
   * @return the base, in bytes
   * @throws IllegalStateException as {@link #allocatorPeakBytes()}
   */
  public long allocatorBaseBytes() {
    allocatorPeakBytes();
    return allocatorBaseBytes;
  }

  /**
   * The step's own peak: {@link #allocatorPeakBytes()} − {@link #allocatorBaseBytes()}, the memory
   * of activations, gradients and temporaries, without the weights and slots that persist.
   *
   * @return the step's own peak, in bytes
   */
  public long stepPeakBytes() {
    return allocatorPeakBytes() - allocatorBaseBytes;
  }

  /** The environment variable that makes TensorFlow's CPU allocator keep totals. */
  public static final String BFC_VARIABLE = "TF_CPU_ALLOCATOR_USE_BFC";

  /** {@return how many kernels of each op type ran, e.g. {@code Conv2D → 64}} */
  public Map<String, Integer> executedOps() {
    return executedOps;
  }

  /**
   * Executed convolution kernels: Conv2D (plain or fused by Grappler) and both backprop ops,
   * whichever kernel family ran them. On CPUs where TensorFlow uses oneDNN the same ops run as
   * {@code _MklNativeConv2D}, {@code _MklNativeFusedConv2D}, {@code
   * _MklNativeConv2DBackpropFilterWithBias} and so on; those count too.
   *
   * @return the number of convolution kernels that ran
   */
  public int convolutions() {
    return convolutionKernels().values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * The convolution kernels that ran, by op type as executed (a subset of {@link #executedOps}).
   *
   * @return the count per executed op type
   */
  public Map<String, Integer> convolutionKernels() {
    Map<String, Integer> kernels = new TreeMap<>();
    executedOps.forEach(
        (type, count) -> {
          if (CONVOLUTIONS.contains(kernelFamilyFree(type))) {
            kernels.put(type, count);
          }
        });
    return kernels;
  }

  /**
   * How many of the executed convolution kernels produced each element type, e.g. {@code BFLOAT16 →
   * 96}: the type they computed in (their first output's, as the trace records it).
   *
   * @return the count per element type
   */
  public Map<String, Integer> convolutionTypes() {
    return new TreeMap<>(convolutionTypes);
  }

  private static final Set<String> CONVOLUTIONS =
      Set.of(
          "Conv2D",
          "FusedConv2D",
          "Conv2DBackpropInput",
          "Conv2DBackpropFilter",
          "Conv2DBackpropFilterWithBias");

  /** The op type without a kernel library's prefix: {@code _MklNativeConv2D → Conv2D}. */
  private static String kernelFamilyFree(String opType) {
    for (String prefix : new String[] {"_MklNative", "_Mkl", "_"}) {
      if (opType.startsWith(prefix)) {
        return opType.substring(prefix.length());
      }
    }
    return opType;
  }
}
