package org.revtrain.trainer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Appends {@link MetricsRecord}s, and the events of a run between them ({@link ModeSwitch}es,
 * {@link Refinement}s, {@link StepSizeCheck}s: lines with an {@code event} key), to {@code
 * metrics.jsonl}, one JSON object a line, written through to the disk each time, and reads them
 * back.
 *
 * <p>A writer killed mid-line leaves a torn last line (no newline, not a JSON object): readers skip
 * it with a warning, and writers remove it before appending, so that every record starts on a fresh
 * line.
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

  /** Appends a record, after removing a torn last line if there is one. */
  public void append(MetricsRecord record) throws IOException {
    append(record.toJson());
  }

  /** Appends a mode switch, after removing a torn last line if there is one. */
  public void append(ModeSwitch event) throws IOException {
    append(event.toJson());
  }

  /** Appends a step-size check, after removing a torn last line if there is one. */
  public void append(StepSizeCheck event) throws IOException {
    append(event.toJson());
  }

  /** Appends a refinement, after removing a torn last line if there is one. */
  public void append(Refinement event) throws IOException {
    append(event.toJson());
  }

  private void append(JsonObject line) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long end = ch.size();
      String separator = "";
      if (end > 0 && lastByte(ch, end) != '\n') {
        end = intactLength(Files.readAllBytes(file));
        ch.truncate(end);
        separator = end > 0 && lastByte(ch, end) != '\n' ? "\n" : "";
      }
      ch.position(end);
      ch.write(StandardCharsets.UTF_8.encode(separator + line + "\n"));
      ch.force(false);
    }
  }

  /**
   * Removes the records of steps after {@code step} (a run resumed from a checkpoint of that step
   * writes them again) and a torn last line. Lines that are not records are kept.
   */
  public void dropAfter(long step) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException none) {
      return;
    }
    int intact = intactLength(bytes);
    List<String> lines = new String(bytes, 0, intact, StandardCharsets.UTF_8).lines().toList();
    StringBuilder kept = new StringBuilder();
    for (String line : lines) {
      if (!line.isBlank() && stepOf(line) <= step) {
        kept.append(line).append('\n');
      }
    }
    byte[] text = kept.toString().getBytes(StandardCharsets.UTF_8);
    if (Arrays.equals(text, bytes)) {
      return;
    }
    Path temp = file.resolveSibling("." + FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(text));
      ch.force(false);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Every record of the log (the evaluations, not the events), in order. A torn last line is
   * skipped, and {@code warnings} told so.
   *
   * @throws UsageException naming the file and line if it is missing or a complete line is not a
   *     record
   */
  public List<MetricsRecord> read(Consumer<String> warnings) {
    List<MetricsRecord> records = new ArrayList<>();
    readLines(
        warnings,
        line -> {
          if (!line.has("event")) {
            records.add(MetricsRecord.fromJson(line));
          }
        });
    return records;
  }

  /** The mode switches of the log, in order; a torn last line is skipped. */
  public List<ModeSwitch> modeSwitches() {
    return events(ModeSwitch::isOne, ModeSwitch::fromJson);
  }

  /** The step-size checks of the log, in order; a torn last line is skipped. */
  public List<StepSizeCheck> stepSizeChecks() {
    return events(StepSizeCheck::isOne, StepSizeCheck::fromJson);
  }

  /** The refinements of the log, in order; a torn last line is skipped. */
  public List<Refinement> refinements() {
    return events(Refinement::isOne, Refinement::fromJson);
  }

  /** The event lines of one kind ({@code isOne}), read by {@code fromJson}, in order. */
  private <E> List<E> events(Predicate<JsonObject> isOne, Function<JsonObject, E> fromJson) {
    List<E> events = new ArrayList<>();
    readLines(
        w -> {},
        line -> {
          if (isOne.test(line)) {
            events.add(fromJson.apply(line));
          }
        });
    return events;
  }

  private void readLines(Consumer<String> warnings, Consumer<JsonObject> lineReader) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UsageException(file + ": cannot read the metrics log (" + e.getMessage() + ")");
    }
    List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
    boolean torn = intactLength(bytes) < bytes.length;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        lineReader.accept(JsonParser.parseString(lines.get(i)).getAsJsonObject());
      } catch (RuntimeException e) {
        if (torn && i == lines.size() - 1) {
          warnings.accept(
              file + ":" + (i + 1) + ": an incomplete last line (its writer was stopped), skipped");
        } else {
          throw new UsageException(
              file + ":" + (i + 1) + ": not a metrics record (" + e.getMessage() + ")");
        }
      }
    }
  }

  /** The step of a record line; {@link Long#MIN_VALUE} for other lines, which are kept. */
  private static long stepOf(String line) {
    try {
      return JsonParser.parseString(line).getAsJsonObject().get("step").getAsLong();
    } catch (RuntimeException notARecord) {
      return Long.MIN_VALUE;
    }
  }

  private static byte lastByte(FileChannel ch, long size) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    ch.read(b, size - 1);
    return b.get(0);
  }

  /**
   * The length of {@code bytes} without a torn last line: text after the last newline that is not a
   * JSON object.
   */
  private static int intactLength(byte[] bytes) {
    int n = bytes.length;
    while (n > 0 && bytes[n - 1] != '\n') {
      n--;
    }
    if (n < bytes.length) {
      try {
        JsonParser.parseString(new String(bytes, n, bytes.length - n, StandardCharsets.UTF_8))
            .getAsJsonObject();
        return bytes.length; // complete but for its newline
      } catch (RuntimeException torn) {
        return n;
      }
    }
    return n;
  }
}
