package org.revtrain.trainer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * What {@code checkpoint.json} records about the checkpoint itself, so that a truncated,
 * bit-flipped, missing or unreadable file is found, and named, before TensorFlow reads it: the size
 * and CRC-32C of every file the variables were saved to (key {@value #FILES}), and, as the last
 * key, the CRC-32C of {@code checkpoint.json}'s own text up to that key ({@value #SEAL_KEY}).
 *
 * <p>Checkpoints written before these keys existed are checked for their index and data files only.
 */
final class CheckpointIntegrity {
  /** Key of the variable files' sizes and checksums. */
  static final String FILES = "files";

  /** Key of the checksum of {@code checkpoint.json}'s text before it. */
  static final String SEAL_KEY = "crc32c";

  private static final String SEAL = ",\"" + SEAL_KEY + "\":\"";

  private CheckpointIntegrity() {}

  /**
   * The text of {@code checkpoint.json} for {@code state} in the checkpoint directory {@code dir},
   * whose variables are saved already.
   */
  static String sealedJson(CheckpointState state, Path dir) throws IOException {
    JsonObject o = state.toJson();
    JsonObject files = new JsonObject();
    for (Path f : variableFiles(dir)) {
      JsonObject entry = new JsonObject();
      entry.addProperty("bytes", Files.size(f));
      entry.addProperty(SEAL_KEY, crc32c(f));
      files.add(f.getFileName().toString(), entry);
    }
    o.add(FILES, files);
    String body = o.toString();
    return body.substring(0, body.length() - 1) + SEAL + crc32c(body) + "\"}\n";
  }

  /**
   * What is wrong with the text of a {@code checkpoint.json}, if it carries a checksum that does
   * not match it.
   */
  static Optional<String> sealProblem(String text) {
    int at = text.lastIndexOf(SEAL);
    if (at < 0) {
      // written before checksums, unless it records its files: then the checksum was lost
      return text.contains("\"" + FILES + "\":")
          ? Optional.of("damaged: its checksum is missing")
          : Optional.empty();
    }
    String rest = text.substring(at + SEAL.length());
    int end = rest.indexOf('"');
    String body = text.substring(0, at) + "}";
    if (end < 0 || !rest.substring(0, end).equals(crc32c(body))) {
      return Optional.of("damaged: its checksum does not match its contents");
    }
    return Optional.empty();
  }

  /**
   * The first variable file of the checkpoint in {@code dir} that is missing, unreadable or not as
   * {@code json} (its {@code checkpoint.json}) records it.
   */
  static Optional<CheckpointDamage> fileDamage(Path dir, JsonObject json) {
    JsonObject files = json.getAsJsonObject(FILES);
    if (files == null) {
      return legacyFileDamage(dir);
    }
    for (Map.Entry<String, JsonElement> e : files.entrySet()) {
      Path file = dir.resolve(e.getKey());
      JsonObject want = e.getValue().getAsJsonObject();
      try {
        long bytes = Files.size(file);
        long expected = want.get("bytes").getAsLong();
        if (bytes < expected) {
          return damage(dir, file, "truncated: " + bytes + " of " + expected + " bytes");
        }
        if (bytes != expected) {
          return damage(dir, file, "damaged: " + bytes + " bytes, " + expected + " were written");
        }
        if (!crc32c(file).equals(want.get(SEAL_KEY).getAsString())) {
          return damage(dir, file, "damaged: its checksum does not match (changed after writing)");
        }
      } catch (IOException ex) {
        return damage(dir, file, problem(ex));
      }
    }
    return Optional.empty();
  }

  /** A checkpoint without checksums: its index and at least one data file must exist. */
  private static Optional<CheckpointDamage> legacyFileDamage(Path dir) {
    Path index = dir.resolve(Checkpoint.VARIABLES + ".index");
    if (!Files.isRegularFile(index)) {
      return damage(dir, index, "missing");
    }
    String data = Checkpoint.VARIABLES + ".data-";
    try (Stream<Path> s = Files.list(dir)) {
      if (s.noneMatch(p -> p.getFileName().toString().startsWith(data))) {
        return damage(dir, dir.resolve(Checkpoint.VARIABLES + ".data-00000-of-00001"), "missing");
      }
    } catch (IOException e) {
      return damage(dir, dir, problem(e));
    }
    return Optional.empty();
  }

  /** What an I/O failure on reading a file or directory means to a user. */
  static String problem(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied: this user cannot read it";
    }
    if (e instanceof NoSuchFileException) {
      return "missing";
    }
    return "cannot be read (" + e.getMessage() + ")";
  }

  private static Optional<CheckpointDamage> damage(Path dir, Path file, String problem) {
    return Optional.of(new CheckpointDamage(dir, file, problem));
  }

  /** The files of a checkpoint directory other than {@code checkpoint.json}, by name. */
  private static List<Path> variableFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(Checkpoints.STATE))
          .sorted()
          .toList();
    }
  }

  private static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return String.format("%08x", crc.getValue());
  }

  private static String crc32c(String text) {
    CRC32C crc = new CRC32C();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }
}
