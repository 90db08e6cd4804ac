package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Bad input to the ablations and benchmarks: exit code 2 and one line naming the flag, before any
 * sweep runs.
 */
class ExperimentUsageTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ablate memory --state-dtype float16 | --state-dtype float16",
        "ablate memory --layers 37 | --layers 37",
        "ablate memory --models hamster | --models hamster",
        "ablate memory --modes sideways | --modes sideways",
        "ablate gradients --state-dtypes float32,half | --state-dtypes half",
        "ablate max-depth --model hamster | --model hamster",
        "ablate max-depth --mode checkpoint:x | --mode checkpoint:x",
        "ablate memory --memory-cap lots | --memory-cap",
        "ablate memory --memory-cap 0g | --memory-cap",
        "ablate memory --batch 0 | --batch",
        "ablate memory --steps 0 | --steps",
        "ablate max-depth --batch 0 | --batch",
        "ablate max-depth --image -3 | --image",
        "ablate max-depth --memory-cap 8gigs | --memory-cap",
        "ablate gradients --batch 0 | --batch",
        "ablate gradients --image x | --image",
        "bench unit --sections 1,4 | --sections",
        "bench unit --batch 0 | --batch",
        "bench unit --repeats 2 | --repeats",
        "bench unit --max-step-seconds 0 | --max-step-seconds",
        "bench unit --batch many | --batch",
        "bench unit --frobnicate | --frobnicate",
        "bench plan --no-plans --plot p.png | --plot",
        "bench plan --timed-steps 0 | --timed-steps",
        "plan --memory-budget lots | --memory-budget",
        "plan --memory-budget 1g --model hamster-9 | --model hamster-9",
        "plan --memory-budget 1g --plan stored,sideways | --plan stored,sideways",
        "plan --memory-budget 1g --plan stored,stored | --plan stored,stored",
        "plan --memory-budget 1g --batch 0 | --batch",
      })
  void badChoicesAreUsageErrorsNamingTheFlag(String args, String flag) {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    int code = cli.execute(args.split(" "));
    String text = err.toString().strip();
    assertEquals(2, code, text);
    assertTrue(text.contains(flag), "names " + flag + ": " + text);
    assertEquals(1, text.lines().count(), "one line: " + text);
  }
}
