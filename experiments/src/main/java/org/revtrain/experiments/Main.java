package org.revtrain.experiments;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code revtrain} command: the trainer's commands plus the experiments'. */
@Command(name = "revtrain", mixinStandardHelpOptions = true, subcommands = {AblateCommand.class, BenchCommand.class})
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
