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
 * The variant tensor type (a TensorList handle) that TensorFlow Java 1.0.0 does not register:
 * without it a {@code ConcreteFunction} with a TensorList output cannot be created, and the loops
 * could not collect per-block results. Variant tensors live inside graphs only; they are never
 * read from Java.
 */
@TensorType(dataType = DataType.DT_VARIANT, byteSize = -1, mapperClass = TVariant.Mapper.class)
interface TVariant extends TType {

  /** Registers the type once; safe to call repeatedly. */
  static void register() {
    Registration.ONCE.hashCode();
  }

  /** Refuses to map: a variant cannot be fetched into Java. */
  final class Mapper extends TensorMapper<TVariant> {
    @Override
    protected TVariant mapDense(RawTensor tensor) {
      throw new UnsupportedOperationException("variant tensors cannot be fetched into Java");
    }

    @Override
    protected SparseTensor<TVariant> mapSparse(
        TInt64 indices, TVariant values, TInt64 denseShape, PointerScope tensorScope) {
      throw new UnsupportedOperationException("variant tensors cannot be fetched into Java");
    }
  }

  /** Holder whose class initialisation performs the registration exactly once. */
  final class Registration {
    static final Object ONCE = registerNow();

    private Registration() {}

    private static Object registerNow() {
      try {
        TensorTypeRegistry.find(DataType.DT_VARIANT);
        return Boolean.TRUE; // a later TensorFlow Java registers it itself
      } catch (IllegalArgumentException notYet) {
        try {
          Method m = TensorTypeRegistry.class.getDeclaredMethod("register", Class.class);
          m.setAccessible(true);
          m.invoke(null, TVariant.class);
          return Boolean.TRUE;
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException(
              "cannot register the variant tensor type with TensorFlow Java; RevTrain needs"
                  + " tensorflow-core-api 1.0.0 on the class path (not the module path)",
              e);
        }
      }
    }
  }
}
