package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataSourceTest {

  @TempDir Path dir;

  @Test
  void parsesEveryForm() {
    assertEquals(DataSource.Format.BUILTIN, DataSource.parse("builtin").format());
    assertEquals(Optional.empty(), DataSource.parse("builtin").directory());

    DataSource fashion = DataSource.parse("fashion-mnist");
    assertEquals(DataSource.Format.IDX, fashion.format());
    assertEquals(Optional.of(Path.of("/usr/share/datasets/fashion-mnist")), fashion.directory());

    DataSource idx = DataSource.parse("idx:/data/mnist");
    assertEquals(DataSource.Format.IDX, idx.format());
    assertEquals(Optional.of(Path.of("/data/mnist")), idx.directory());

    assertEquals(DataSource.Format.CIFAR10, DataSource.parse("cifar10:/d/c10").format());
    assertEquals(Optional.of(Path.of("/d/c100")), DataSource.parse("CIFAR100:/d/c100").directory());
    assertEquals(DataSource.Format.CIFAR100, DataSource.parse(" cifar100:rel/dir ").format());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mnist", "imagenet:/x", "cifar:/x", "builtin2"})
  void rejectsUnknownSpec(String spec) {
    DataException e = assertThrows(DataException.class, () -> DataSource.parse(spec));

    assertTrue(e.getMessage().contains("'" + spec.split(":")[0]), e.getMessage());
    assertTrue(e.getMessage().contains("expected one of: builtin, fashion-mnist"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void rejectsEmptySpec(String spec) {
    DataException e = assertThrows(DataException.class, () -> DataSource.parse(spec));

    assertTrue(e.getMessage().startsWith("empty data spec"), e.getMessage());
    assertThrows(DataException.class, () -> DataSource.parse(null));
  }

  @Test
  void rejectsMissingDirectoryInSpec() {
    DataException e = assertThrows(DataException.class, () -> DataSource.parse("idx:"));

    assertEquals("data spec 'idx:': missing directory after 'idx:'", e.getMessage());
    assertThrows(DataException.class, () -> DataSource.parse("cifar10:  "));
    assertThrows(DataException.class, () -> DataSource.parse("builtin:/x"));
  }

  @Test
  void loadReportsMissingDataDirectory() {
    Path missing = dir.resolve("nope");

    DataException e =
        assertThrows(DataException.class, () -> DataSource.parse("cifar10:" + missing).load());

    assertEquals(missing + ": data directory does not exist", e.getMessage());
  }

  @Test
  void missingFashionMnistTellsHowToInstall() {
    Path missing = dir.resolve("fashion-mnist");

    DataException e =
        assertThrows(DataException.class, () -> DataSource.parse("fashion-mnist", missing).load());

    assertEquals(
        missing
            + ": Fashion-MNIST not found; install it with: apt-get install dataset-fashion-mnist",
        e.getMessage());
  }

  @Test
  void brokenFashionMnistTellsHowToReinstall() throws IOException {
    Files.createDirectory(dir.resolve("fm"));

    DataException e =
        assertThrows(
            DataException.class, () -> DataSource.parse("fashion-mnist", dir.resolve("fm")).load());

    assertTrue(e.getMessage().contains("missing file train-images-idx3-ubyte"), e.getMessage());
    assertTrue(e.getMessage().endsWith("apt-get install --reinstall dataset-fashion-mnist"));
  }

  @Test
  void loadsIdxAndCifarDirectories() throws IOException {
    Path idx = Files.createDirectory(dir.resolve("idx"));
    IdxFixture.writeDirectory(idx, 4, 2, true);
    Path cifar = Files.createDirectory(dir.resolve("c10"));
    CifarFixture.writeCifar10(cifar);

    assertEquals(4, DataSource.parse("idx:" + idx).load().train().size());
    assertEquals(2, DataSource.parse("cifar10:" + cifar).load().test().size());
  }

  @Test
  void builtinLoadsDefaultSizes() {
    DataSplit s = DataSource.parse("builtin").load();

    assertEquals(BuiltinDataset.DEFAULT_TRAIN_SIZE, s.train().size());
    assertEquals(BuiltinDataset.DEFAULT_TEST_SIZE, s.test().size());
  }
}
