package org.revtrain.trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends {@link MetricsRecord}s to {@code metrics.jsonl}, one JSON object a line, flushed each time. */
public final class MetricsLog {
  /** Name of the file inside a run directory. */
  public static final String FILE = "metrics.jsonl";

  private final Path file;

  /** The log of the run in {@code runDirectory}. */
  public MetricsLog(Path runDirectory) {
    this.file = runDirectory.resolve(FILE);
  }

  /** The {@code metrics.jsonl} file. */
  public Path file() {
    return file;
  }

  /** Appends one line. */
  public void append(MetricsRecord record) throws IOException {
    Files.writeString(
        file,
        record.toJson().toString() + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
