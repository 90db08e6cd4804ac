package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code revtrain ode-check} on a tiny forward-Euler run: its table, its verdict, its bad input.
 */
class OdeCheckCommandTest {
  @TempDir static Path dir;

  private record Run(int code, String out, String err) {}

  private static Run revtrain(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private static Path run() {
    return dir.resolve("euler");
  }

  @BeforeAll
  static void train() {
    Run r =
        revtrain(
            "train",
            "--model",
            "euler:1,1:4,4,8",
            "--mode",
            "stored",
            "--h",
            "0.25",
            "--steps",
            "4",
            "--batch",
            "8",
            "--out",
            run().toString());
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void tabulatesEverySolverAndRefinementAndGivesAVerdict() {
    Run r = revtrain("ode-check", "--checkpoint", run().toString(), "--refine", "2");
    assertEquals(0, r.code(), r.err());
    List<String> rows =
        r.out().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| solver")).toList();
    // the trained network, then forward Euler and RK4 with m = 1 and 2 (Euler m = 1 is the trained
    // one)
    assertEquals(4, rows.size(), r.out());
    Pattern row =
        Pattern.compile(
            "\\| (\\S+)(?: \\(trained\\))? \\| (\\d+) \\| (\\d+) \\| ([0-9.]+)% \\| ([-+][0-9.]+)"
                + " \\| \\S+ \\| ([0-9.]+)% \\|");
    String[][] expected = {
      {"euler", "1", "2"}, {"euler", "2", "4"}, {"rk4", "1", "2"}, {"rk4", "2", "4"}
    };
    double trainedAccuracy = -1;
    for (int i = 0; i < rows.size(); i++) {
      Matcher m = row.matcher(rows.get(i));
      assertTrue(m.matches(), rows.get(i));
      assertEquals(expected[i][0], m.group(1), rows.get(i));
      assertEquals(expected[i][1], m.group(2), rows.get(i));
      assertEquals(expected[i][2], m.group(3), rows.get(i));
      double accuracy = Double.parseDouble(m.group(4));
      if (i == 0) {
        trainedAccuracy = accuracy;
        assertEquals("100.0", m.group(6), "the trained network agrees with itself");
      }
      assertEquals(accuracy - trainedAccuracy, Double.parseDouble(m.group(5)), 0.006, rows.get(i));
    }
    assertTrue(r.out().contains("Verdict: "), r.out());
  }

  @Test
  void badSolversAndRefinementsAreUsageErrors() {
    Run solver =
        revtrain("ode-check", "--checkpoint", run().toString(), "--solvers", "hamiltonian");
    assertEquals(2, solver.code(), solver.err());
    assertTrue(
        solver.err().contains("--solvers hamiltonian") && solver.err().strip().lines().count() == 1,
        solver.err());
    Run refine = revtrain("ode-check", "--checkpoint", run().toString(), "--refine", "0");
    assertEquals(2, refine.code(), refine.err());
    assertTrue(refine.err().contains("--refine"), refine.err());
    Run missing = revtrain("ode-check", "--checkpoint", dir.resolve("nothing").toString());
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("--checkpoint"), missing.err());
  }
}
