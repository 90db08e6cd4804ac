package org.revtrain.trainer;

import java.nio.file.Path;

/**
 * Why a checkpoint cannot be used: the file at fault and what is wrong with it.
 *
 * @param checkpoint the checkpoint's directory
 * @param file the damaged, missing or unreadable file (or the directory itself)
 * @param problem what is wrong, e.g. {@code "truncated: 1000 of 4464 bytes"}
 */
public record CheckpointDamage(Path checkpoint, Path file, String problem) {
  /** One line: the file, then the problem. */
  @Override
  public String toString() {
    return file + ": " + problem;
  }
}
