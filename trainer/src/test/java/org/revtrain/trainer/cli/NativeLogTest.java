package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * TensorFlow's native log shows errors only, in the tests and in the launcher, unless {@code
 * TF_CPP_MIN_LOG_LEVEL} asks for more: a float64 graph makes oneDNN warn "Not handling type
 * DT_DOUBLE" once per fusable op otherwise.
 */
class NativeLogTest {
  private static final String LEVEL = "TF_CPP_MIN_LOG_LEVEL";

  @Test
  void tensorFlowsWarningsAreLeftOutUnlessAskedFor() throws Exception {
    assertEquals(
        0, warnings(Map.of()), "with this environment's " + LEVEL + "=" + System.getenv(LEVEL));
    assertTrue(warnings(Map.of(LEVEL, "0")) > 0, LEVEL + "=0 brings them back");
  }

  @Test
  void theLauncherLeavesThemOutAsTheTestsDo() throws IOException {
    String launcher = Files.readString(Path.of("..", "revtrain"));
    Matcher m = Pattern.compile(LEVEL + "=\"\\$\\{" + LEVEL + ":-(\\d)\\}\"").matcher(launcher);
    assertTrue(m.find(), "the launcher sets a default " + LEVEL);
    assertEquals(System.getenv(LEVEL), m.group(1));
  }

  /** The "Not handling type" lines a fresh JVM running {@link Float64Graph} writes. */
  private static long warnings(Map<String, String> environment) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    Float64Graph.class.getName()))
            .redirectErrorStream(true);
    pb.environment().putAll(environment);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    assertTrue(output.contains("ran"), output);
    return output.lines().filter(l -> l.contains("Not handling type DT_DOUBLE")).count();
  }

  /**
   * Runs a float64 convolution, bias, ReLU and matrix product: ops oneDNN would fuse in float32.
   */
  static final class Float64Graph {
    public static void main(String[] args) {
      try (Graph g = new Graph();
          Session s = new Session(g);
          TFloat64 x = TFloat64.tensorOf(Shape.of(2, 4, 4, 3));
          TFloat64 k = TFloat64.tensorOf(Shape.of(3, 3, 3, 4))) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat64> images = tf.placeholder(TFloat64.class, Placeholder.shape(x.shape()));
        Placeholder<TFloat64> kernel = tf.placeholder(TFloat64.class, Placeholder.shape(k.shape()));
        var features =
            tf.nn.relu(
                tf.nn.biasAdd(
                    tf.nn.conv2d(images, kernel, List.of(1L, 1L, 1L, 1L), "SAME"),
                    tf.constant(new double[] {1, 2, 3, 4})));
        var logits =
            tf.linalg.matMul(
                tf.reshape(features, tf.constant(new long[] {2, 64})),
                tf.ones(tf.constant(new long[] {64, 3}), TFloat64.class));
        try (Result r =
            s.runner().feed(images, x).feed(kernel, k).fetch(features).fetch(logits).run()) {
          System.out.println("ran");
        }
      }
    }
  }
}
