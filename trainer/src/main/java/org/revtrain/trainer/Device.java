package org.revtrain.trainer;

import java.util.Locale;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * Where the graph runs. TensorFlow places ops itself: with the GPU native library and a visible GPU
 * it prefers the GPU, so {@link #CPU} hides GPUs from the session and {@link #GPU} only checks that
 * one is visible.
 */
public enum Device {
  CPU("cpu"),
  GPU("gpu");

  private final String id;

  Device(String id) {
    this.id = id;
  }

  /** The name used on the command line and in {@code config.json}. */
  public String id() {
    return id;
  }

  /** Parses {@code cpu} or {@code gpu}. */
  public static Device parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "cpu" -> CPU;
      case "gpu" -> GPU;
      default ->
          throw new IllegalArgumentException("unknown device '" + text + "': expected cpu or gpu");
    };
  }

  /**
   * The session configuration: intra- and inter-op thread pools of {@link
   * Runtime#availableProcessors()} threads each, and for {@link #CPU} no GPU devices.
   */
  public ConfigProto sessionConfig() {
    int threads = Runtime.getRuntime().availableProcessors();
    ConfigProto.Builder b =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(threads)
            .setInterOpParallelismThreads(threads)
            .setAllowSoftPlacement(true);
    if (this == CPU) {
      b.putDeviceCount("GPU", 0);
    }
    return b.build();
  }

  /**
   * Fails unless this device can run ops: always true for {@link #CPU}; for {@link #GPU}, places a
   * constant on {@code /device:GPU:0} without soft placement and runs it.
   *
   * @throws UsageException for a GPU that TensorFlow cannot see
   */
  public void checkAvailable() {
    if (this == CPU) {
      return;
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var c =
          tf.withDevice(
                  DeviceSpec.newBuilder()
                      .deviceType(DeviceSpec.DeviceType.GPU)
                      .deviceIndex(0)
                      .build())
              .identity(tf.constant(1f));
      ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
      try (Session s = new Session(g, strict);
          var r = s.runner().fetch(c).run()) {
        // ran on a GPU
      }
    } catch (RuntimeException e) {
      throw new UsageException(
          UsageException.Setting.DEVICE,
          "gpu: TensorFlow sees no GPU on this machine (it needs a CUDA GPU and the"
              + " tensorflow-core-native linux-x86_64-gpu library with CUDA 12.3 / cuDNN 8.9); use"
              + " the cpu device",
          e);
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
