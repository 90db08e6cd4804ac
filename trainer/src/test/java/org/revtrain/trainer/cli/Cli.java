package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code revtrain} in this JVM with captured output, and writes small data directories. */
final class Cli {
  private Cli() {}

  /** What one execution printed and returned. */
  record Run(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Exit code 2 and exactly one line on stderr that contains every fragment, no stack trace. */
    void assertUsageError(String... fragments) {
      assertOneLineError(ExitCodes.USAGE, fragments);
    }

    void assertOneLineError(int expectedCode, String... fragments) {
      assertEquals(expectedCode, code, "exit code; stderr: " + err + "; stdout: " + out);
      assertEquals(1, errLines().size(), "one line on stderr: " + err);
      String line = errLines().get(0);
      for (String f : fragments) {
        assertTrue(line.contains(f), "'" + f + "' in: " + line);
      }
      assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = RevTrainCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** An idx3 images file of {@code count} 8x8 images. */
  static byte[] images(int count, int magic) {
    return images(count, magic, 8);
  }

  /** An idx3 images file of {@code count} images of {@code side}x{@code side}. */
  static byte[] images(int count, int magic, int side) {
    int area = side * side;
    ByteBuffer b = ByteBuffer.allocate(16 + count * area);
    b.putInt(magic).putInt(count).putInt(side).putInt(side);
    for (int i = 0; i < count * area; i++) {
      int image = i / area;
      int k = i % area;
      // class c = image % 10 draws a bright row c % side (and a column for c >= side)
      int c = image % 10;
      boolean on = (k / side == c % side) || (c >= side && k % side == c - side + 1);
      b.put((byte) (on ? 200 + (i * 7) % 50 : (i * 13) % 40));
    }
    return b.array();
  }

  /** An idx1 labels file of labels 0 to 9 in turn, but {@code badLabel} at {@code badIndex}. */
  static byte[] labels(int count, int badIndex, int badLabel) {
    return labels(count, 10, badIndex, badLabel);
  }

  private static byte[] labels(int count, int classes, int badIndex, int badLabel) {
    ByteBuffer b = ByteBuffer.allocate(8 + count);
    b.putInt(0x00000801).putInt(count);
    for (int i = 0; i < count; i++) {
      b.put((byte) (i == badIndex ? badLabel : i % classes));
    }
    return b.array();
  }

  /** A valid MNIST-layout directory of 8x8 grayscale images: 80 train, 40 test. */
  static Path idx(Path dir) throws IOException {
    return idx(dir, 80, 40, 8, 10);
  }

  /**
   * A valid MNIST-layout directory of grayscale images of {@code side}x{@code side}, labelled 0 to
   * {@code classes - 1} in turn.
   */
  static Path idx(Path dir, int train, int test, int side, int classes) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("train-images-idx3-ubyte"), images(train, 0x00000803, side));
    Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(train, classes, -1, 0));
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), images(test, 0x00000803, side));
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(test, classes, -1, 0));
    return dir;
  }

  /** A custom model small enough for 8x8 images: one block in each of two units. */
  static final String TINY_MODEL = "hamiltonian:1,1:4,4,8";

  /**
   * {@code train} of {@link #TINY_MODEL} on the IDX data in {@code data}, batches of 8, {@code
   * steps} steps, into {@code out}, with {@code more} options.
   */
  static String[] tinyTraining(Path data, long steps, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("train", "--model", TINY_MODEL, "--data", "idx:" + data, "--batch", "8"));
    args.addAll(List.of("--steps", Long.toString(steps), "--out", out.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** The command line of {@code revtrain args} in a new JVM on this test's class path. */
  static List<String> inNewJvm(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(RevTrainCli.class.getName());
    command.addAll(List.of(args));
    return command;
  }
}
