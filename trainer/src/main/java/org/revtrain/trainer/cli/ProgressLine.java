package org.revtrain.trainer.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a person following a run wants to know at one moment, said as one line: for a log ({@link
 * #plain()}) or for a terminal of a given width ({@link #fit(int)}). NaN stands for a figure not
 * known yet.
 *
 * @param step steps completed
 * @param total steps of the whole run
 * @param epoch epochs completed
 * @param loss mean training loss since the previous evaluation
 * @param accuracy mean training accuracy since the previous evaluation
 * @param imagesPerSecond training throughput since the previous evaluation
 * @param testLoss loss on the test set at the latest evaluation
 * @param testAccuracy accuracy on the test set at the latest evaluation
 * @param etaSeconds seconds until the run ends, at the pace so far
 * @param evaluatingSeconds seconds the test-set evaluation under way has taken (NaN if none is)
 */
record ProgressLine(
    long step,
    long total,
    double epoch,
    double loss,
    double accuracy,
    double imagesPerSecond,
    double testLoss,
    double testAccuracy,
    double etaSeconds,
    double evaluatingSeconds) {

  /** Columns below which a terminal line shows no bar. */
  static final int MIN_BAR = 12;

  /**
   * The line for a log: step, epoch, training loss and accuracy, the test figures when known,
   * images per second and ETA, two spaces apart, e.g. {@code step 120/234 epoch 1.54 loss 1.2345
   * acc 45.6% 1234 img/s ETA 0:40}.
   */
  String plain() {
    return plain(true);
  }

  /**
   * {@link #plain()} without the test figures, for a line between evaluations (they belong to the
   * line of the evaluation itself).
   */
  String plainTraining() {
    return plain(false);
  }

  private String plain(boolean test) {
    List<String> parts = new ArrayList<>();
    parts.add("step " + step + "/" + total);
    parts.add(format("epoch %.2f", epoch));
    known(parts, loss, format("loss %.4f", loss));
    known(parts, accuracy, format("acc %.1f%%", 100 * accuracy));
    if (test) {
      known(parts, testLoss, format("test loss %.4f", testLoss));
      known(parts, testAccuracy, format("test acc %.1f%%", 100 * testAccuracy));
    }
    known(parts, imagesPerSecond, format("%.0f img/s", imagesPerSecond));
    known(parts, etaSeconds, "ETA " + duration(etaSeconds));
    return String.join("  ", parts);
  }

  /**
   * The line for a terminal {@code width} columns wide. The fields that do not fit are left out,
   * the least useful first: the bar, the percentage, images per second, the epoch, the training
   * accuracy, the test accuracy, the loss, the evaluation under way, the ETA; the step counter
   * stays. A bar fills what room is left, when at least {@value #MIN_BAR} columns are; spaces fill
   * the rest, so that the line covers a longer one drawn before it.
   */
  String fit(int width) {
    List<Field> fields = new ArrayList<>(fields());
    while (length(fields) > width && fields.size() > 1) {
      fields.remove(fields.stream().min(Comparator.comparing(Field::kind)).orElseThrow());
    }
    int room = width - length(fields) - 1;
    if (room >= MIN_BAR) {
      fields.add(fields.get(0).kind() == Kind.PERCENT ? 1 : 0, new Field(bar(room), Kind.BAR));
    }
    String line = String.join(" ", fields.stream().map(Field::text).toList());
    return line.length() > width ? line.substring(0, Math.max(width, 0)) : pad(line, width);
  }

  /** The fields of a terminal line, in the order shown. */
  private List<Field> fields() {
    List<Field> f = new ArrayList<>();
    f.add(new Field(format("%3.0f%%", 100.0 * step / total), Kind.PERCENT));
    f.add(new Field(step + "/" + total, Kind.STEP));
    if (!Double.isNaN(evaluatingSeconds)) {
      f.add(new Field("testing " + duration(evaluatingSeconds), Kind.EVALUATING));
    }
    if (!Double.isNaN(etaSeconds)) {
      f.add(new Field("ETA " + duration(etaSeconds), Kind.ETA));
    }
    f.add(new Field(format("ep %.2f", epoch), Kind.EPOCH));
    if (!Double.isNaN(loss)) {
      f.add(new Field(format("loss %.3f", loss), Kind.LOSS));
      f.add(new Field(format("acc %.1f%%", 100 * accuracy), Kind.ACCURACY));
    }
    if (!Double.isNaN(testAccuracy)) {
      f.add(new Field(format("test %.1f%%", 100 * testAccuracy), Kind.TEST_ACCURACY));
    }
    if (!Double.isNaN(imagesPerSecond)) {
      f.add(new Field(format("%.0f img/s", imagesPerSecond), Kind.IMAGES_PER_SECOND));
    }
    return f;
  }

  /** The fields of a terminal line, the least useful (the first to be left out) first. */
  private enum Kind {
    BAR,
    PERCENT,
    IMAGES_PER_SECOND,
    EPOCH,
    ACCURACY,
    TEST_ACCURACY,
    LOSS,
    EVALUATING,
    ETA,
    STEP
  }

  private record Field(String text, Kind kind) {}

  private static int length(List<Field> fields) {
    return fields.stream().mapToInt(f -> f.text().length()).sum() + fields.size() - 1;
  }

  private String bar(int width) {
    int inside = width - 2;
    int done = (int) Math.min(inside, inside * step / Math.max(total, 1));
    return "["
        + "=".repeat(done)
        + (done < inside ? ">" + " ".repeat(inside - done - 1) : "")
        + "]";
  }

  private static String pad(String line, int width) {
    return line + " ".repeat(width - line.length());
  }

  private static void known(List<String> parts, double value, String text) {
    if (!Double.isNaN(value)) {
      parts.add(text);
    }
  }

  /** h:mm:ss, or m:ss under an hour. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
