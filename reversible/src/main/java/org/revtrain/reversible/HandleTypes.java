package org.revtrain.reversible;

import java.lang.reflect.Method;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.RawTensor;
import org.tensorflow.SparseTensor;
import org.tensorflow.TensorMapper;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.annotation.TensorType;
import org.tensorflow.types.family.TType;

/**
 * The two handle types that TensorFlow Java 1.0.0 does not register: variant (a TensorList) and
 * resource (a variable handle). Without them a {@code ConcreteFunction} cannot take or return a
 * TensorList or a variable, and the loops could neither collect per-block results nor update a
 * block's weights in place. Handles live inside graphs only; they are never read from Java.
 */
final class HandleTypes {
  private static final Object ONCE = registerNow();

  private HandleTypes() {}

  /** Registers both types once; safe to call repeatedly. */
  static void register() {
    ONCE.hashCode();
  }

  @TensorType(dataType = DataType.DT_VARIANT, byteSize = -1, mapperClass = Unfetchable.class)
  interface TVariant extends TType {}

  @TensorType(dataType = DataType.DT_RESOURCE, byteSize = -1, mapperClass = Unfetchable.class)
  interface TResource extends TType {}

  /** Refuses to map: a handle cannot be fetched into Java (public: TensorFlow instantiates it). */
  public static final class Unfetchable extends TensorMapper<TType> {
    public Unfetchable() {}

    @Override
    protected TType mapDense(RawTensor tensor) {
      throw new UnsupportedOperationException("handle tensors cannot be fetched into Java");
    }

    @Override
    protected SparseTensor<TType> mapSparse(
        TInt64 indices, TType values, TInt64 denseShape, PointerScope tensorScope) {
      throw new UnsupportedOperationException("handle tensors cannot be fetched into Java");
    }
  }

  private static Object registerNow() {
    registerIfMissing(DataType.DT_VARIANT, TVariant.class);
    registerIfMissing(DataType.DT_RESOURCE, TResource.class);
    return Boolean.TRUE;
  }

  private static void registerIfMissing(DataType type, Class<? extends TType> tensorClass) {
    try {
      TensorTypeRegistry.find(type);
      // a later TensorFlow Java registers it itself
    } catch (IllegalArgumentException notYet) {
      try {
        Method m = TensorTypeRegistry.class.getDeclaredMethod("register", Class.class);
        m.setAccessible(true);
        m.invoke(null, tensorClass);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot register the "
                + type
                + " tensor type with TensorFlow Java; RevTrain needs"
                + " tensorflow-core-api 1.0.0 on the class path (not the module path)",
            e);
      }
    }
  }
}
