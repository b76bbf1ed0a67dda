package io.github.c8backup.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.logstreams.storage.LogStorage;
import io.camunda.zeebe.logstreams.storage.LogStorageReader;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/**
 * The control engine's log storage is our thread-safe one (see its Javadoc), not Zeebe Process
 * Test's: if a ZPT upgrade moved or renamed the class, the engine would silently go back to the
 * racy one, and this test says so.
 */
class InMemoryLogStorageTest {

  private static final String STORAGE = "io.camunda.zeebe.process.test.engine.InMemoryLogStorage";

  @Test
  void theEngineLoadsOurStorageFromTheTestClasses() throws Exception {
    Class<?> storage = Class.forName(STORAGE);
    Class<?> factory = Class.forName("io.camunda.zeebe.process.test.engine.EngineFactory");

    Path ours = Path.of(storage.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path zpt = Path.of(factory.getProtectionDomain().getCodeSource().getLocation().toURI());

    assertThat(ours.toString()).as("where %s is loaded from", STORAGE).endsWith("test-classes");
    assertThat(zpt.getFileName().toString()).as("the ZPT engine this replacement was written against")
        .isEqualTo("zeebe-process-test-engine-8.8.21.jar");
  }

  @Test
  void aReaderNeverSeesABlockBeforeItIsWritten() throws Exception {
    LogStorage storage = newStorage();
    int blocks = 200_000;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        LogStorageReader read = storage.newReader();
        int seen = 0;
        while (seen < blocks) {
          while (read.hasNext()) {
            DirectBuffer block = read.next();
            if (block.getInt(0, java.nio.ByteOrder.BIG_ENDIAN) != seen) {
              throw new AssertionError("block " + seen + " read as " + block.getInt(0, java.nio.ByteOrder.BIG_ENDIAN));
            }
            seen++;
          }
          Thread.onSpinWait();
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    reader.start();
    LogStorage.AppendListener ignore = new LogStorage.AppendListener() {};
    for (int i = 0; i < blocks; i++) {
      storage.append(i + 1L, i + 1L, ByteBuffer.allocate(4).putInt(0, i), ignore);
    }
    reader.join(60_000);

    assertThat(failure.get()).isNull();
    assertThat(reader.isAlive()).isFalse();
  }

  private static LogStorage newStorage() throws Exception {
    Constructor<?> constructor = Class.forName(STORAGE).getDeclaredConstructor();
    constructor.setAccessible(true);
    return (LogStorage) constructor.newInstance();
  }
}
