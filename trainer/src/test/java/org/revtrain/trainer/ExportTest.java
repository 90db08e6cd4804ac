package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.reversible.measure.TensorValues;
import org.revtrain.trainer.data.ImageDataset;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The exported SavedModel gives the same logits as eval on the same images. */
class ExportTest {
  @TempDir Path dir;

  @Test
  void savedModelLogitsEqualEvalLogits() throws Exception {
    Path run = dir.resolve("run");
    TinyRuns.train(TinyRuns.config(10).build(), run, null, 0);
    Checkpoint c = Checkpoints.locate(run);
    ImageDataset test = TinyRuns.DATA.test();
    int n = 12;
    float[] pixels = test.head(n).pixels();
    double[] expected;
    Path saved = dir.resolve("saved");
    try (InferenceModel<?> m = InferenceModel.open(c)) {
      expected = m.logits(pixels, n);
      m.exportSavedModel(saved);
      assertThrows(
          UsageException.class, () -> m.exportSavedModel(saved), "refuses a non-empty directory");
    }
    try (SavedModelBundle b = SavedModelBundle.load(saved.toString(), "serve");
        TFloat32 x =
            TFloat32.tensorOf(Shape.of(n, 32, 32, 3), DataBuffers.of(pixels, true, false));
        Result r = b.function(Signature.DEFAULT_KEY).call(Map.of(InferenceModel.INPUT, x))) {
      Tensor logits = r.get(InferenceModel.OUTPUT).orElseThrow();
      assertEquals(Shape.of(n, 10), logits.shape());
      double[] actual = TensorValues.doubles(logits);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-6, "logit " + i);
      }
    }
  }
}
