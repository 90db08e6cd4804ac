package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example is a program that compiles and runs against this build: the first
 * {@code java} block under the README's heading {@value #HEADING} is read from {@code README.md},
 * compiled with the test classpath and its {@code main} run. Its contract with this test is its
 * output: a line {@code dL/dK1 [dimensions]} with the shape of a weight's gradient and a line
 * {@code reconstruction error x}.
 */
class ReadmeExampleTest {
  static final String HEADING = "## Use it as a library";

  @TempDir Path dir;

  /** The README at the repository's root; tests run in the module's directory. */
  private static Path readme() {
    Path readme = Path.of("..", "README.md").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(readme), "no README.md at " + readme);
    return readme;
  }

  /** The first {@code java} block after {@link #HEADING}, without its fences. */
  static String example(List<String> readme) {
    int heading = readme.indexOf(HEADING);
    assertTrue(heading >= 0, "README.md has no heading '" + HEADING + "'");
    int begin = heading + 1;
    while (begin < readme.size() && !readme.get(begin).strip().equals("```java")) {
      begin++;
    }
    int end = begin + 1;
    while (end < readme.size() && !readme.get(end).strip().equals("```")) {
      end++;
    }
    assertTrue(end < readme.size(), "no closed ```java block under '" + HEADING + "'");
    return String.join("\n", readme.subList(begin + 1, end)) + "\n";
  }

  /** Compiles {@code source} into {@code dir}; the name of its public class. */
  private String compile(String source) throws IOException {
    Matcher name = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)").matcher(source);
    assertTrue(name.find(), "the README example declares no public class:\n" + source);
    Path file = dir.resolve(name.group(1) + ".java");
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      List<String> options =
          List.of(
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              dir.toString(),
              "-Xlint:-path");
      boolean compiled =
          javac
              .getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file))
              .call();
      assertTrue(compiled, "the README example does not compile: " + diagnostics.getDiagnostics());
    }
    return name.group(1);
  }

  /** Runs {@code main} of class {@code name} from {@code dir}; what it printed. */
  private String run(String name) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      loader.loadClass(name).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    } catch (InvocationTargetException e) {
      throw new AssertionError("the README example failed", e.getCause());
    } finally {
      System.setOut(stdout);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    stdout.print(out);
    return out;
  }

  @Test
  void readmeExampleCompilesRunsAndPrintsAGradientAndAReconstructionError() throws Exception {
    String out = run(compile(example(Files.readAllLines(readme()))));

    Matcher gradient = Pattern.compile("dL/dK1 \\[([0-9, ]+)\\]").matcher(out);
    assertTrue(gradient.find(), "no gradient shape printed: " + out);
    long[] shape =
        Arrays.stream(gradient.group(1).split(","))
            .mapToLong(d -> Long.parseLong(d.strip()))
            .toArray();
    assertEquals(5, shape.length, "a kernel gradient [blocks, 3, 3, in, out]: " + out);
    assertEquals(3, shape[1], out);
    assertEquals(3, shape[2], out);
    assertTrue(Arrays.stream(shape).allMatch(d -> d > 0), out);

    Matcher error = Pattern.compile("reconstruction error (\\S+)").matcher(out);
    assertTrue(error.find(), "no reconstruction error printed: " + out);
    double e = Double.parseDouble(error.group(1));
    assertTrue(e >= 0 && e < 1e-3, "reconstruction error " + e);
  }

  @Test
  void theExampleIsTheFirstJavaBlockUnderTheHeading() {
    List<String> text =
        List.of(
            "# T",
            "```java",
            "before();",
            "```",
            HEADING,
            "prose",
            "```java",
            "a();",
            "b();",
            "```",
            "```java",
            "later();",
            "```");
    assertEquals("a();\nb();\n", example(text));
  }
}
