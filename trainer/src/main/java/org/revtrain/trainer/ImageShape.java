package org.revtrain.trainer;

import org.revtrain.trainer.data.ImageDataset;

/**
 * The input a network is built for: images of {@code height × width × channels} (NHWC) and the
 * number of classes.
 */
public record ImageShape(int height, int width, int channels, int classes) {

  /** Checks that every size is positive and there are at least two classes. */
  public ImageShape {
    if (height < 1 || width < 1 || channels < 1 || classes < 2) {
      throw new IllegalArgumentException(
          "bad image shape "
              + height
              + "x"
              + width
              + "x"
              + channels
              + " with "
              + classes
              + " classes");
    }
  }

  /** The shape of a data set's images. */
  public static ImageShape of(ImageDataset data) {
    return new ImageShape(data.height(), data.width(), data.channels(), data.numClasses());
  }

  /** Floats in one image. */
  public int imageSize() {
    return height * width * channels;
  }

  /** Whether {@code data} has this shape. */
  public boolean matches(ImageDataset data) {
    return equals(of(data));
  }

  /**
   * Fails unless {@code data} has this shape.
   *
   * @param source the data as the user named them (their spec)
   * @param network the network that takes this shape, as the message names it
   * @throws UsageException about the {@link UsageException.Setting#DATA data}, naming them, both
   *     shapes and the network
   */
  public void require(ImageDataset data, Object source, String network) {
    if (!matches(data)) {
      throw new UsageException(
          UsageException.Setting.DATA,
          source + ": images are " + of(data) + ", but " + network + " takes " + this,
          null);
    }
  }

  @Override
  public String toString() {
    return height + "x" + width + "x" + channels + ", " + classes + " classes";
  }
}
