package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The help of every command: whole sentences, named parameters, a summary that ends. */
class HelpTextTest {
  /** Where a sentence or a list of values may end a line of its own. */
  private static final Pattern ENDS = Pattern.compile(".*[.?!:)]$");

  /** Whether a line of help text (a picocli format string) ends a sentence. */
  private static boolean ends(String line) {
    return ENDS.matcher(line.replace("%n", "").strip()).matches();
  }

  private static List<CommandLine> everyCommand(CommandLine c) {
    List<CommandLine> all = new ArrayList<>(List.of(c));
    c.getSubcommands().values().stream().distinct().forEach(s -> all.addAll(everyCommand(s)));
    return all;
  }

  private static String usage(CommandLine c) {
    StringWriter out = new StringWriter();
    c.usage(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void everyDescriptionLineEndsASentence() {
    for (CommandLine c : everyCommand(Main.commandLine())) {
      String name = c.getCommandSpec().qualifiedName();
      for (String line : c.getCommandSpec().usageMessage().description()) {
        assertTrue(ends(line), name + " description line ends mid-sentence: " + line);
      }
      for (String line : c.getCommandSpec().usageMessage().footer()) {
        assertTrue(ends(line), name + " footer line ends mid-sentence: " + line);
      }
      for (OptionSpec o : c.getCommandSpec().options()) {
        for (String line : o.description()) {
          assertTrue(ends(line), name + " " + o.longestName() + ": " + line);
        }
      }
    }
  }

  @Test
  void everyParameterHasALabel() {
    for (CommandLine c : everyCommand(Main.commandLine())) {
      String usage = usage(c);
      assertFalse(
          usage.contains("=<"),
          c.getCommandSpec().qualifiedName() + " has an unnamed parameter:\n" + usage);
    }
  }

  @Test
  void theCommandListGivesEachCommandsWholeSummary() {
    String help = usage(Main.commandLine());
    String commands = help.substring(help.indexOf("Commands:"));
    List<String> entries = new ArrayList<>();
    for (String line : commands.lines().skip(1).toList()) {
      if (line.matches("  \\S.*")) {
        entries.add(line.strip());
      } else if (line.startsWith("    ") && !entries.isEmpty()) {
        entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
      } else {
        break;
      }
    }
    assertEquals(
        List.of(
            "train",
            "eval",
            "export",
            "models",
            "ablate",
            "bench",
            "curves",
            "ode-check",
            "plan",
            "sweep",
            "help"),
        entries.stream().map(e -> e.split(" ")[0]).toList());
    for (String entry : entries) {
      assertTrue(ends(entry), "a summary cut short: " + entry);
    }
  }

  @Test
  void helpIsACommandOfTheWholeCommandLine() {
    StringWriter viaHelp = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(viaHelp));
    assertEquals(0, cli.execute("help", "ode-check"));
    assertEquals(usage(Main.commandLine().getSubcommands().get("ode-check")), viaHelp.toString());
  }
}
