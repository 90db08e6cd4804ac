package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Models;
import org.revtrain.reversible.GradientMode;

class TrainingConfigTest {
  @Test
  void defaultsAreChangEtAlsOptimiserOnTheDefaultModel() {
    TrainingConfig c = TrainingConfig.builder().build();
    assertEquals(Models.DEFAULT, c.model().name());
    assertEquals("reversible", c.mode().toString());
    assertEquals("builtin", c.data());
    assertEquals(0.1, c.learningRate());
    assertEquals(0.9, c.momentum());
    assertEquals(2e-4, c.weightDecay());
    assertEquals(2e-4, c.smoothness());
    assertEquals("step", c.schedule().id());
  }

  @Test
  void jsonRoundTripKeepsEverything() {
    TrainingConfig c =
        TinyRuns.config(17)
            .mode(GradientMode.checkpoint(2))
            .precision(Precision.FLOAT64)
            .schedule(LearningRateSchedule.parse("step:0.3,0.6"))
            .checkpointEvery(5)
            .augment(false)
            .model(
                ModelCatalog.withStepSize(TinyRuns.model(), 0.25)
                    .toBuilder()
                    .float64State(false)
                    .build())
            .build();
    TrainingConfig back = TrainingConfig.fromJson(c.toJson());
    assertEquals(c, back);
    assertEquals(17, back.totalSteps(3));
    assertEquals(0.25, back.model().stepSizes(1)[0]);
    assertFalse(back.model().float64State());
  }

  @Test
  void modelsWrittenBeforeTheFloat64StateOptionKeepTheirFloat32State() {
    ModelSpec model = TinyRuns.model();
    assertTrue(model.float64State(), "new models carry their state in float64");
    JsonObject json = ModelCatalog.toJson(model);
    assertTrue(ModelCatalog.fromJson(json).float64State());
    json.remove("float64_state");
    assertFalse(ModelCatalog.fromJson(json).float64State());
  }

  @Test
  void customModelsAreParsedAndCheckedByTheModelsModule() {
    assertEquals(2, ModelCatalog.resolve("hamiltonian:2,2:8,8,16").units());
    assertThrows(IllegalArgumentException.class, () -> ModelCatalog.resolve("hamiltonian:1,1:4,5,9"));
    assertThrows(IllegalArgumentException.class, () -> ModelCatalog.resolve("hamiltonian:1,x:4,4,8"));
    assertThrows(IllegalArgumentException.class, () -> ModelCatalog.resolve("no-such-model"));
  }
}
