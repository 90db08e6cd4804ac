package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.revtrain.models.BlockKind;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Models;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.reversible.GradientMode;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

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
                ModelCatalog.withStepSize(TinyRuns.model(), 0.25).toBuilder()
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
  void mixedPrecisionIsRecordedAsItsDtypeAndAppliedToTheReversibleUnitsOnly() {
    TrainingConfig c = TinyRuns.config(3).precision(Precision.BFLOAT16).build();
    assertEquals("bfloat16", c.toJson().get("dtype").getAsString());
    TrainingConfig back = TrainingConfig.fromJson(c.toJson());
    assertEquals(c, back);
    assertEquals(Optional.of(TBfloat16.class), back.precision().fields(back.model()).fieldType());
    assertEquals(TFloat32.class, back.precision().type());
    assertTrue(Precision.FLOAT32.fields(back.model()).fieldType().isEmpty());
  }

  /** A configuration that differs from {@code base} in one component only. */
  private record Variation(TrainingConfig base, TrainingConfig changed) {
    static Variation fromDefaults(TrainingConfig.Builder changed) {
      return new Variation(TrainingConfig.builder().build(), changed.build());
    }
  }

  /** One variation per record component, by the component's name. */
  private static Map<String, Variation> variationOfEachComponent() {
    Map<String, Variation> v = new LinkedHashMap<>();
    v.put("model", Variation.fromDefaults(TrainingConfig.builder().model(TinyRuns.model())));
    v.put("data", Variation.fromDefaults(TrainingConfig.builder().data("cifar10:/data/cifar")));
    v.put(
        "mode", Variation.fromDefaults(TrainingConfig.builder().mode(GradientMode.checkpoint(3))));
    v.put("epochs", Variation.fromDefaults(TrainingConfig.builder().epochs(2)));
    v.put(
        "steps",
        new Variation(
            TrainingConfig.builder().steps(5).build(), TrainingConfig.builder().steps(17).build()));
    v.put("batch", Variation.fromDefaults(TrainingConfig.builder().batch(32)));
    v.put("learningRate", Variation.fromDefaults(TrainingConfig.builder().learningRate(0.05)));
    v.put(
        "schedule",
        Variation.fromDefaults(
            TrainingConfig.builder().schedule(LearningRateSchedule.parse("step:0.3,0.6"))));
    v.put("momentum", Variation.fromDefaults(TrainingConfig.builder().momentum(0)));
    v.put("weightDecay", Variation.fromDefaults(TrainingConfig.builder().weightDecay(1e-3)));
    v.put("smoothness", Variation.fromDefaults(TrainingConfig.builder().smoothness(0)));
    v.put("seed", Variation.fromDefaults(TrainingConfig.builder().seed(42)));
    v.put(
        "precision", Variation.fromDefaults(TrainingConfig.builder().precision(Precision.FLOAT64)));
    v.put("device", Variation.fromDefaults(TrainingConfig.builder().device(Device.GPU)));
    v.put("checkpointEvery", Variation.fromDefaults(TrainingConfig.builder().checkpointEvery(7)));
    v.put("augment", Variation.fromDefaults(TrainingConfig.builder().augment(true)));
    v.put(
        "plan",
        Variation.fromDefaults(
            TrainingConfig.builder().plan(ModePlan.parse("reversible,reversible,stored"))));
    v.put("driftTolerance", Variation.fromDefaults(TrainingConfig.builder().driftTolerance(null)));
    v.put("trainFraction", Variation.fromDefaults(TrainingConfig.builder().trainFraction(0.05)));
    v.put("refineAt", Variation.fromDefaults(TrainingConfig.builder().refineAt(List.of(2, 4))));
    v.put("adaptTolerance", Variation.fromDefaults(TrainingConfig.builder().adaptTolerance(0.5)));
    return v;
  }

  @Test
  void everyComponentRoundTripsThroughJsonAndTakesPartInEquality() throws Exception {
    RecordComponent[] components = TrainingConfig.class.getRecordComponents();
    Map<String, Variation> variations = variationOfEachComponent();
    assertEquals(
        Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.toSet()),
        variations.keySet(),
        "the test varies every component of the configuration");
    for (RecordComponent component : components) {
      String name = component.getName();
      Variation v = variations.get(name);
      for (RecordComponent c : components) {
        Object before = c.getAccessor().invoke(v.base());
        Object after = c.getAccessor().invoke(v.changed());
        assertEquals(
            c == component,
            !Objects.equals(before, after),
            "varying " + name + " changes " + c.getName() + " only");
      }
      assertNotEquals(v.base(), v.changed(), name + " takes part in equals");
      assertNotEquals(v.base().toJson(), v.changed().toJson(), name + " is written to JSON");
      TrainingConfig back = TrainingConfig.fromJson(v.changed().toJson());
      assertEquals(v.changed(), back, name + " is read back from JSON");
      assertEquals(v.changed().hashCode(), back.hashCode());
      assertEquals(v.changed(), v.changed().toBuilder().build(), name + " is copied by toBuilder");
    }
  }

  @Test
  void configurationsOfEarlierRunsLoadAndAreWrittenWithTheSameKeysAndValues() throws IOException {
    Path results = Path.of("..", "docs", "results");
    List<Path> files;
    try (Stream<Path> all = Files.walk(results)) {
      files = all.filter(f -> f.getFileName().toString().endsWith("config.json")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no config.json under " + results.toAbsolutePath());
    for (Path file : files) {
      JsonObject written = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      TrainingConfig c = TrainingConfig.fromJson(written);
      assertEquals(BlockKind.HAMILTONIAN, c.model().kind(), file.toString());
      JsonObject again = c.toJson();
      JsonObject model = again.getAsJsonObject("model");
      if (!written.getAsJsonObject("model").has("float64_state")) {
        assertFalse(c.model().float64State(), file + ": written before float64_state existed");
        model.remove("float64_state");
      }
      for (String key : written.keySet()) {
        if (!key.equals("input")) {
          assertEquals(written.get(key), again.get(key), file + ": " + key);
        }
      }
    }
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
    assertThrows(
        IllegalArgumentException.class, () -> ModelCatalog.resolve("hamiltonian:1,1:4,5,9"));
    assertThrows(
        IllegalArgumentException.class, () -> ModelCatalog.resolve("hamiltonian:1,x:4,4,8"));
    assertThrows(IllegalArgumentException.class, () -> ModelCatalog.resolve("no-such-model"));
  }
}
