package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code revtrain plan} without --measure: the plan and its prediction for three budgets. */
class PlanCommandTest {
  private static String plan(String budget) {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    int code =
        cli.execute(
            "plan", "--model", "hamiltonian-218", "--batch", "32", "--memory-budget", budget);
    assertEquals(0, code, out.toString());
    return out.toString();
  }

  @Test
  void generousMiddleAndTightBudgets() {
    String generous = plan("1g");
    assertTrue(generous.contains("plan stored,stored,stored"), generous);
    assertTrue(generous.contains("relative compute 1.000"), generous);
    String middle = plan("420m");
    assertTrue(middle.contains("plan reversible,stored,stored"), middle);
    assertTrue(middle.contains("| 0 | 18 | 32x32x16 | reversible | 0.0 | 1.33 |"), middle);
    assertTrue(middle.contains("fits (with 10% allowance)"), middle);
    String tight = plan("50m");
    assertTrue(tight.contains("plan reversible,reversible,reversible"), tight);
    assertTrue(tight.contains("does not fit"), tight);
  }
}
