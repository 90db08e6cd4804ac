package org.revtrain.trainer.data;

/**
 * Derives independent 64-bit seeds from a base seed and a tuple of coordinates (split, epoch,
 * batch, sample index, ...), so that every random stream in this package is a pure function of
 * those coordinates rather than of how many values some earlier stream consumed.
 */
final class Seeds {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /**
   * Mixes the parts, in order, into one well-scrambled seed.
   *
   * @param parts the base seed followed by any coordinates
   * @return a seed that differs (with overwhelming probability) for any different tuple
   */
  static long mix(long... parts) {
    long h = GOLDEN;
    for (long p : parts) {
      h = finalizer(h ^ finalizer(p + GOLDEN)) + GOLDEN;
    }
    return finalizer(h);
  }

  /** MurmurHash3's 64-bit finalizer: a bijection with good avalanche. */
  private static long finalizer(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }
}
