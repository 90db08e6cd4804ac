package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.revtrain.models.BlockKind;
import org.revtrain.models.ModelSpec;
import org.revtrain.reversible.GradientMode;

/**
 * REVERSIBLE and CHECKPOINT training steps update each unit block's weights and momentum inside the
 * backward loop, with weight decay and the smoothness regulariser computed per block; STORED
 * updates whole variables after the backward pass. In float64 the two must leave every weight and
 * momentum slot equal after several steps.
 */
class PerBlockUpdateTest {
  private static final ImageShape SHAPE = new ImageShape(8, 8, 3, 10);
  private static final int BATCH = 4;
  private static final float[] IMAGES = new float[BATCH * SHAPE.imageSize()];
  private static final int[] LABELS = {1, 7, 3, 3};

  static {
    Random r = new Random(5);
    for (int i = 0; i < IMAGES.length; i++) {
      IMAGES[i] = (float) r.nextGaussian();
    }
  }

  private static Map<String, double[]> train(GradientMode mode, boolean batchNorm) {
    ModelSpec spec =
        ModelSpec.builder(BlockKind.HAMILTONIAN)
            .blocksPerUnit(4, 3)
            .filters(4, 4, 8)
            .stepSizes(0.3, 0.2, 0.25, 0.3, 0.1, 0.2, 0.15)
            .batchNorm(batchNorm)
            .build();
    TrainingConfig config =
        TrainingConfig.builder()
            .model(spec)
            .mode(mode)
            .precision(Precision.FLOAT64)
            .batch(BATCH)
            .smoothness(0.05)
            .weightDecay(1e-3)
            .momentum(0.9)
            .seed(3)
            .build();
    try (TrainingGraph<?> g = TrainingGraph.build(config, SHAPE, Device.CPU.sessionConfig())) {
      g.initialize();
      for (int s = 0; s < 3; s++) {
        g.step(IMAGES, LABELS, 0.1, s, false);
      }
      return g.values();
    }
  }

  @ParameterizedTest(name = "batch norm {0}")
  @ValueSource(booleans = {false, true})
  void perBlockUpdatesEqualWholeVariableUpdates(boolean batchNorm) {
    Map<String, double[]> stored = train(GradientMode.stored(), batchNorm);
    for (GradientMode mode :
        new GradientMode[] {GradientMode.reversible(), GradientMode.checkpoint(2)}) {
      Map<String, double[]> other = train(mode, batchNorm);
      assertEquals(stored.keySet(), other.keySet());
      int unitSlots = 0;
      for (String name : stored.keySet()) {
        double[] a = stored.get(name);
        double[] b = other.get(name);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
          diff += (a[i] - b[i]) * (a[i] - b[i]);
          norm += a[i] * a[i];
        }
        double e = norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
        assertTrue(e <= 1e-9, mode + ": " + name + " differs from STORED by " + e);
        if (name.startsWith("unit") && name.endsWith(MomentumSgd.SLOT_SUFFIX)) {
          assertTrue(norm > 0, name + " never moved: the per-block update did not run");
          unitSlots++;
        }
      }
      assertTrue(unitSlots >= 4, "unit momentum slots checked: " + unitSlots);
    }
  }
}
