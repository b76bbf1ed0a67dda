package io.camunda.zeebe.process.test.engine;

import io.camunda.zeebe.logstreams.storage.LogStorage;
import io.camunda.zeebe.logstreams.storage.LogStorageReader;
import io.camunda.zeebe.util.buffer.BufferWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * TEST SCOPE ONLY: our own thread-safe log storage for Zeebe Process Test's in-memory engine, the
 * control engine of the process and sandbox tests. It has the name of ZPT's class so that ZPT's
 * {@code EngineFactory} uses it: Maven puts {@code target/test-classes} before the dependency jars.
 *
 * <p>Why: ZPT 8.8.21's storage appends to a plain {@code ArrayList} on the log appender's actor
 * thread while the stream processor reads it on another. A reader can see the list's new size
 * before the new element and read {@code null}; the stream processor then fails with a
 * NullPointerException ("Cannot invoke ByteBuffer.capacity() because buffer is null") and stops
 * processing for good, so every timer, job and message of the engine stalls. We saw it in a
 * sandbox fault test, and it explains the "timer never fired" flakes of earlier runs. Here every
 * access to the entries holds the storage's monitor, which orders each read after the write it
 * observes. Zeebe fixed the same kind of race in its own test log storage (camunda/camunda#13677);
 * ZPT's copy still has it. {@code InMemoryLogStorageTest} checks that this class is the one the
 * engine loads.
 *
 * <p>Behaviour otherwise as the engine expects: each append is one block, committed at once; a
 * reader seeks to the block before the first one whose lowest position is not below the target.
 */
final class InMemoryLogStorage implements LogStorage {

  private final List<ByteBuffer> blocks = new ArrayList<>();
  /** Lowest position of a block to the block's number counted from 1. */
  private final ConcurrentSkipListMap<Long, Integer> blockNumberByLowestPosition = new ConcurrentSkipListMap<>();
  private final Set<CommitListener> commitListeners = ConcurrentHashMap.newKeySet();

  InMemoryLogStorage() {}

  @Override
  public LogStorageReader newReader() {
    return new Reader();
  }

  @Override
  public void append(long lowestPosition, long highestPosition, BufferWriter writer, AppendListener listener) {
    ByteBuffer block = ByteBuffer.allocate(writer.getLength());
    writer.write(new UnsafeBuffer(block), 0);
    append(lowestPosition, highestPosition, block, listener);
  }

  @Override
  public void append(long lowestPosition, long highestPosition, ByteBuffer block, AppendListener listener) {
    int blockNumber;
    synchronized (blocks) {
      blocks.add(block);
      blockNumber = blocks.size();
    }
    blockNumberByLowestPosition.put(lowestPosition, blockNumber);
    listener.onWrite(blockNumber, highestPosition);
    listener.onCommit(blockNumber, highestPosition);
    commitListeners.forEach(CommitListener::onCommit);
  }

  @Override
  public void addCommitListener(CommitListener listener) {
    commitListeners.add(listener);
  }

  @Override
  public void removeCommitListener(CommitListener listener) {
    commitListeners.remove(listener);
  }

  private int blockCount() {
    synchronized (blocks) {
      return blocks.size();
    }
  }

  private ByteBuffer block(int index) {
    synchronized (blocks) {
      return blocks.get(index);
    }
  }

  private final class Reader implements LogStorageReader {

    private int next;

    @Override
    public void seek(long position) {
      Map.Entry<Long, Integer> before = blockNumberByLowestPosition.lowerEntry(position);
      next = before == null ? 0 : before.getValue() - 1;
    }

    @Override
    public boolean hasNext() {
      return next >= 0 && next < blockCount();
    }

    @Override
    public DirectBuffer next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return new UnsafeBuffer(block(next++));
    }

    @Override
    public void close() {}
  }
}
