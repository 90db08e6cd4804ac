package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.models.plan.MemoryModel;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.models.plan.Planner;
import org.revtrain.reversible.GradientMode;
import org.revtrain.trainer.Trainer;
import org.revtrain.trainer.TrainingConfig;

/** {@code train --memory-budget}: a planned run, and a refusal before anything is built. */
class MemoryBudgetTest {
  private static final String MODEL = "hamiltonian:12,2,2:8,8,16,32";

  @TempDir Path dir;

  @Test
  void aBatchPredictedNotToFitIsRefusedBeforeTraining() {
    Path out = dir.resolve("run");
    Cli.Run r =
        Cli.run(
            "train",
            "--batch",
            "60000",
            "--memory-budget",
            "4g",
            "--steps",
            "1",
            "--out",
            out.toString());
    r.assertUsageError(
        "--batch 60000", "predicted", "bytes", "--memory-budget 4 GiB", "smaller --batch");
    assertEquals("", r.out(), "no plan printed for a refused run");
    assertFalse(Files.exists(out.resolve(Trainer.CONFIG_FILE)), "nothing written");
  }

  @Test
  void aBudgetBelowStoredTrainsWithAMixedPlanRecordedInConfig() throws Exception {
    TrainingConfig c =
        TrainingConfig.builder()
            .model(org.revtrain.trainer.ModelCatalog.resolve(MODEL))
            .batch(16)
            .steps(1)
            .build();
    MemoryModel m = MemoryGate.model(c);
    long stored = m.peakBytes(ModePlan.uniform(GradientMode.stored(), 3));
    long reversible = m.peakBytes(ModePlan.uniform(GradientMode.reversible(), 3));
    // enough for the bottom unit reconstructing, too little for every unit STORED
    long mixed = m.peakBytes(ModePlan.parse("reversible,stored,stored"));
    long budget = mixed + mixed / 10 + 1;
    assertTrue(
        reversible < budget && budget < stored, reversible + " < " + budget + " < " + stored);
    Path out = dir.resolve("run");
    Cli.Run r =
        Cli.run(
            "train",
            "--model",
            MODEL,
            "--batch",
            "16",
            "--steps",
            "1",
            "--memory-budget",
            Long.toString(budget),
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("memory plan for --memory-budget"), r.out());
    JsonObject config =
        JsonParser.parseString(Files.readString(out.resolve(Trainer.CONFIG_FILE)))
            .getAsJsonObject();
    ModePlan plan = ModePlan.parse(config.get("plan").getAsString());
    assertFalse(plan.isUniform(), plan.toString());
    assertTrue(plan.modes().contains(GradientMode.stored()), plan.toString());
    assertTrue(Planner.fits(m.peakBytes(plan), budget));
    assertEquals(plan, TrainingConfig.fromJson(config).modes());
  }
}
