package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line: plain for logs, fitted to a terminal's width by leaving out fields. */
class ProgressLineTest {
  private static final ProgressLine LINE =
      new ProgressLine(1234, 23400, 3.16, 1.23456, 0.456, 1234.4, 1.1, 0.5, 3725, Double.NaN);

  /** The fields in the order they may go, the least useful first. */
  private static final List<String> DROP_ORDER =
      List.of("  5%", "img/s", "ep 3.16", "acc 45.6%", "test 50.0%", "loss 1.235", "ETA 1:02:05");

  @Test
  void plainLineForALog() {
    assertEquals(
        "step 1234/23400  epoch 3.16  loss 1.2346  acc 45.6%  test loss 1.1000  test acc 50.0% "
            + " 1234 img/s  ETA 1:02:05",
        LINE.plain());
    ProgressLine first =
        new ProgressLine(
            0,
            100,
            0,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN);
    assertEquals("step 0/100  epoch 0.00", first.plain());
  }

  @Test
  void aWideTerminalShowsEveryFieldAndABarFillingTheRest() {
    String line = LINE.fit(150);
    assertEquals(150, line.length(), line);
    for (String field : DROP_ORDER) {
      assertTrue(line.contains(field), field + " in: " + line);
    }
    assertTrue(line.matches("  5% \\[=+> +\\] 1234/23400 .*"), line);
  }

  @Test
  void eightyColumnsKeepEveryFigureAndLeaveOutTheBar() {
    String line = LINE.fit(79); // an 80-column terminal less the column the cursor needs
    assertEquals(79, line.length(), line);
    for (String field : DROP_ORDER) {
      assertTrue(line.contains(field), field + " in: " + line);
    }
    assertFalse(line.contains("["), "no bar squeezed to nothing: " + line);
  }

  @Test
  void narrowerTerminalsLeaveOutTheLeastUsefulFieldsFirst() {
    List<String> kept = new ArrayList<>(DROP_ORDER);
    for (int width = 79; width >= 10; width--) {
      String line = LINE.fit(width);
      assertEquals(width, line.length(), "covers the line before: " + line);
      assertTrue(line.contains("1234/23400"), "the step counter stays at " + width + ": " + line);
      List<String> shown = DROP_ORDER.stream().filter(line::contains).toList();
      assertEquals(
          kept.subList(kept.size() - shown.size(), kept.size()),
          shown,
          "at " + width + " columns: " + line);
      kept = new ArrayList<>(shown);
    }
    assertEquals(List.of(), kept, "at 10 columns only the counter is left");
    assertEquals("1234/2", LINE.fit(6), "a counter wider than the terminal is cut");
  }

  @Test
  void anEvaluationUnderWayIsShownBeforeTheTrainingFigures() {
    ProgressLine evaluating =
        new ProgressLine(1234, 23400, 3.16, 1.23456, 0.456, 1234.4, 1.1, 0.5, 3725, 65);
    assertTrue(evaluating.fit(79).contains("testing 1:05"), evaluating.fit(79));
    String narrow = evaluating.fit(40);
    assertTrue(narrow.contains("testing 1:05") && narrow.contains("ETA"), narrow);
    assertFalse(narrow.contains("loss"), narrow);
  }

  @Test
  void durations() {
    assertEquals("0:00", ProgressLine.duration(0.2));
    assertEquals("0:40", ProgressLine.duration(40));
    assertEquals("59:59", ProgressLine.duration(3599));
    assertEquals("1:02:05", ProgressLine.duration(3725));
  }
}
