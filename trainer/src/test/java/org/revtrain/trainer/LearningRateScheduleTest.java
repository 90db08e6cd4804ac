package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void stepScheduleIsChangsTenfoldDecayAtHalfAndThreeQuarters() {
    LearningRateSchedule s = LearningRateSchedule.parse("step");
    assertEquals(0.1, s.rate(0.1, 0, 80_000), 1e-15);
    assertEquals(0.1, s.rate(0.1, 39_999, 80_000), 1e-15);
    assertEquals(0.01, s.rate(0.1, 40_000, 80_000), 1e-15);
    assertEquals(0.01, s.rate(0.1, 59_999, 80_000), 1e-15);
    assertEquals(0.001, s.rate(0.1, 60_000, 80_000), 1e-15);
    assertEquals(0.001, s.rate(0.1, 79_999, 80_000), 1e-15);
  }

  @Test
  void customStepBoundariesAndCosine() {
    LearningRateSchedule s = LearningRateSchedule.parse("step:0.25,0.5,0.9");
    assertEquals("step:0.25,0.5,0.9", s.id());
    assertEquals(1e-1, s.rate(1, 49, 100), 1e-15);
    assertEquals(1e-2, s.rate(1, 50, 100), 1e-15);
    assertEquals(1e-3, s.rate(1, 90, 100), 1e-15);
    LearningRateSchedule c = LearningRateSchedule.parse("cosine");
    assertEquals(0.1, c.rate(0.1, 0, 100), 1e-15);
    assertEquals(0.05, c.rate(0.1, 50, 100), 1e-15);
    assertEquals(0.0, c.rate(0.1, 100, 100), 1e-15);
    assertEquals(0.3, LearningRateSchedule.parse("constant").rate(0.3, 77, 100));
  }

  @Test
  void badSchedulesAreRejectedWithTheAcceptedForms() {
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("linear"));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("step:0.8,0.5"));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("step:x"));
  }
}
