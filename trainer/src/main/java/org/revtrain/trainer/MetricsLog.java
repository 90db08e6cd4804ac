package org.revtrain.trainer;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends {@link MetricsRecord}s to {@code metrics.jsonl}, one JSON object a line, flushed each
 * time, and reads them back.
 */
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

  /**
   * Every record of the log, in order.
   *
   * @throws UsageException naming the file and line if it is missing or a line is not a record
   */
  public List<MetricsRecord> read() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException(file + ": cannot read the metrics log (" + e.getMessage() + ")");
    }
    List<MetricsRecord> records = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        records.add(MetricsRecord.fromJson(JsonParser.parseString(lines.get(i)).getAsJsonObject()));
      } catch (RuntimeException e) {
        throw new UsageException(file + ":" + (i + 1) + ": not a metrics record (" + e.getMessage() + ")");
      }
    }
    return records;
  }
}
