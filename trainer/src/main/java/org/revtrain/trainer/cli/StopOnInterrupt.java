package org.revtrain.trainer.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.revtrain.trainer.Trainer;

/**
 * While open, Ctrl-C (SIGINT) or SIGTERM stops the training after its current step: the trainer
 * writes a checkpoint, the command reports it, and the JVM exits with the signal's status ({@link
 * ExitCodes#INTERRUPTED} for SIGINT, {@link ExitCodes#TERMINATED} for SIGTERM).
 */
final class StopOnInterrupt implements AutoCloseable {
  private static final Duration GRACE = Duration.ofMinutes(10);

  private final Thread hook;
  private final CountDownLatch reported = new CountDownLatch(1);
  private volatile boolean interrupted;

  StopOnInterrupt(Trainer trainer) {
    hook =
        new Thread(
            () -> {
              interrupted = true;
              trainer.requestStop();
              try {
                if (trainer.awaitFinished(GRACE)) {
                  reported.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "revtrain-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Whether a signal asked the training to stop. */
  boolean interrupted() {
    return interrupted;
  }

  /** The command has said what it had to say: the JVM may exit. */
  void reported() {
    reported.countDown();
  }

  @Override
  public void close() {
    reported.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it returns once the checkpoint is written
    }
  }
}
