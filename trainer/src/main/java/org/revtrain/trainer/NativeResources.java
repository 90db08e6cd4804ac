package org.revtrain.trainer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The native TensorFlow objects (graph, network, session) that a graph owner opens one after
 * another: closed in reverse order, when the owner closes or when building it fails half-way, so
 * that a failed constructor leaks nothing. The network may close before its graph: its loop
 * functions were copied into the graph when the loops were built.
 */
final class NativeResources implements AutoCloseable {
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Takes ownership of {@code resource} and returns it. */
  <R extends AutoCloseable> R add(R resource) {
    opened.push(resource);
    return resource;
  }

  /** Closes everything added, the last first; the first failure is rethrown after the rest. */
  @Override
  public void close() {
    RuntimeException failure = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
