package io.github.c8backup.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PostgreSQL WAL archive holds, read from its files alone (the server may be down): the
 * segments ({@code TTTTTTTTXXXXXXXXYYYYYYYY}, timeline and segment number), and the timeline
 * history files ({@code TTTTTTTT.history}) that each point-in-time recovery adds when the
 * recovered server starts a new timeline. Backup history ({@code .backup}) and {@code .partial}
 * files are not needed for recovery and ignored.
 */
final class WalArchive {

  private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})");
  private static final Pattern HISTORY = Pattern.compile("([0-9A-F]{8})\\.history");
  private static final Pattern HISTORY_LINE = Pattern.compile("\\s*(\\d+)\\s+([0-9A-Fa-f]+/[0-9A-Fa-f]+).*");
  /** XLogLongPageHeaderData: the first page of every segment names the system and the segment size. */
  private static final int XLP_LONG_HEADER = 0x0002;
  private static final int LONG_HEADER_LENGTH = 40;

  private final Path directory;
  private final Set<String> segmentNames;
  private final Set<Integer> historyTimelines;
  private final long segmentSize;
  private final int newestTimeline;

  private WalArchive(Path directory, Set<String> segmentNames, Set<Integer> historyTimelines, long segmentSize) {
    this.directory = directory;
    this.segmentNames = segmentNames;
    this.historyTimelines = historyTimelines;
    this.segmentSize = segmentSize;
    int newest = 1;
    for (String name : segmentNames) {
      newest = Math.max(newest, Integer.parseInt(name.substring(0, 8), 16));
    }
    for (int timeline : historyTimelines) {
      newest = Math.max(newest, timeline);
    }
    this.newestTimeline = newest;
  }

  static WalArchive read(Path directory) {
    Set<String> segments = new HashSet<>();
    Set<Integer> histories = new HashSet<>();
    if (!Files.isDirectory(directory)) {
      throw new DatabaseBackupException("The WAL archive " + directory + " is not a readable folder");
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        Matcher history = HISTORY.matcher(name);
        if (SEGMENT.matcher(name).matches()) {
          segments.add(name);
        } else if (history.matches()) {
          histories.add(Integer.parseInt(history.group(1), 16));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list the WAL archive " + directory, e);
    }
    long segmentSize = 0;
    for (String name : segments) {
      Optional<Header> header = header(directory.resolve(name));
      if (header.isPresent()) {
        segmentSize = header.get().segmentSize();
        break;
      }
    }
    return new WalArchive(directory, segments, histories, segmentSize);
  }

  Path directory() {
    return directory;
  }

  boolean isEmpty() {
    return segmentNames.isEmpty();
  }

  /** The WAL segment size of the archived segments (set at initdb, 16 MiB by default); 0 if none. */
  long segmentSize() {
    return segmentSize;
  }

  /** The newest timeline the archive knows of: the one a recovery follows by default. */
  int newestTimeline() {
    return newestTimeline;
  }

  /** The highest segment number archived on any timeline. */
  OptionalLong highestSegment() {
    return segmentNames.stream().mapToLong(this::segmentNumber).max();
  }

  /**
   * The branches that make up {@code timeline}'s history, oldest first: each timeline with the
   * WAL range it contributes. Timeline 1 has no history file; a missing file for a later timeline
   * leaves only that timeline itself (noted by the caller).
   */
  List<Branch> history(int timeline) {
    List<Branch> branches = new ArrayList<>();
    long begin = 0;
    if (timeline > 1 && historyTimelines.contains(timeline)) {
      try {
        for (String line : Files.readAllLines(directory.resolve(String.format("%08X.history", timeline)))) {
          Matcher matcher = HISTORY_LINE.matcher(line);
          if (matcher.matches()) {
            long switchpoint = Lsn.parse(matcher.group(2));
            branches.add(new Branch(Integer.parseInt(matcher.group(1)), begin, switchpoint));
            begin = switchpoint;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read the history of timeline " + timeline + " in " + directory, e);
      }
    }
    branches.add(new Branch(timeline, begin, Long.MAX_VALUE));
    return branches;
  }

  boolean hasHistoryFile(int timeline) {
    return historyTimelines.contains(timeline);
  }

  /** Every timeline the archive knows of, by history file or segment, oldest first. */
  java.util.SortedSet<Integer> timelines() {
    java.util.SortedSet<Integer> all = new java.util.TreeSet<>(historyTimelines);
    segmentNames.forEach(name -> all.add(Integer.parseInt(name.substring(0, 8), 16)));
    all.add(1);
    return all;
  }

  /**
   * The reason PostgreSQL wrote on the last line of {@code timeline}'s history file, why its parent
   * was left there: {@code before <time>} or {@code after <time>} for a recovery to a time,
   * {@code no recovery target specified} for one to the end of the archive (PostgreSQL's
   * {@code writeTimeLineHistory}). Empty for timeline 1 or without the file.
   */
  Optional<String> switchReason(int timeline) {
    if (timeline <= 1 || !historyTimelines.contains(timeline)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(directory.resolve(String.format("%08X.history", timeline)));
      for (int i = lines.size() - 1; i >= 0; i--) {
        Matcher matcher = HISTORY_LINE.matcher(lines.get(i));
        if (matcher.matches()) {
          String line = lines.get(i).trim();
          String[] parts = line.split("\\s+", 3);
          return Optional.of(parts.length == 3 ? parts[2].trim() : "");
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the history of timeline " + timeline + " in " + directory, e);
    }
  }

  /**
   * When {@code timeline}'s history file reached the archive: the server writes it the moment it
   * promotes itself onto the new timeline and archives it at once, so this is when the timeline
   * began, within the archiver's delay. Empty for timeline 1 or without the file.
   */
  Optional<java.time.Instant> historyArchivedAt(int timeline) {
    if (timeline <= 1 || !historyTimelines.contains(timeline)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.getLastModifiedTime(directory.resolve(String.format("%08X.history", timeline))).toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The archived file a recovery following {@code history} reads for segment {@code segment}: the
   * newest branch that has begun by then, as PostgreSQL picks it. Empty when that file is missing
   * or belongs to another system.
   */
  Optional<Path> segmentFile(List<Branch> history, long segment, long systemIdentifier) {
    for (int i = history.size() - 1; i >= 0; i--) {
      Branch branch = history.get(i);
      if (branch.begin() / segmentSize <= segment) {
        String name = fileName(branch.timeline(), segment);
        if (!segmentNames.contains(name)) {
          return Optional.empty();
        }
        Path file = directory.resolve(name);
        return header(file).filter(header -> header.systemIdentifier() == systemIdentifier).map(header -> file);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a timeline from {@code lastRead} (the timeline of the segment read before) up to, not
   * including, {@code timeline} has a file for {@code segment}. PostgreSQL falls back to such a file
   * when the newer timeline's is missing (it skips timelines older than the file it read last), and
   * would replay an abandoned branch.
   */
  boolean hasFallbackFile(long segment, int lastRead, int timeline) {
    for (int older = lastRead; older < timeline; older++) {
      if (segmentNames.contains(fileName(older, segment))) {
        return true;
      }
    }
    return false;
  }

  long segmentOf(long lsn) {
    return lsn / segmentSize;
  }

  String fileName(int timeline, long segment) {
    long perLogId = 0x1_0000_0000L / segmentSize;
    return String.format("%08X%08X%08X", timeline, segment / perLogId, segment % perLogId);
  }

  private long segmentNumber(String name) {
    long perLogId = 0x1_0000_0000L / segmentSize;
    return Long.parseLong(name.substring(8, 16), 16) * perLogId + Long.parseLong(name.substring(16, 24), 16);
  }

  private static Optional<Header> header(Path segment) {
    byte[] bytes = new byte[LONG_HEADER_LENGTH];
    try (InputStream in = Files.newInputStream(segment)) {
      if (in.readNBytes(bytes, 0, bytes.length) < bytes.length) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    // WAL is written in the server's byte order; little-endian on every platform PostgreSQL ships for today
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int info = buffer.getShort(2) & 0xffff;
    if ((info & XLP_LONG_HEADER) == 0) {
      return Optional.empty();
    }
    long systemIdentifier = buffer.getLong(24);
    long segmentSize = buffer.getInt(32) & 0xffffffffL;
    if (Long.bitCount(segmentSize) != 1 || segmentSize < (1 << 20)) {
      return Optional.empty();
    }
    return Optional.of(new Header(systemIdentifier, segmentSize));
  }

  /** A timeline's part of a history: WAL from {@code begin} (inclusive) to {@code end} (exclusive). */
  record Branch(int timeline, long begin, long end) {
    boolean contains(long lsn) {
      return lsn >= begin && lsn < end;
    }
  }

  private record Header(long systemIdentifier, long segmentSize) {}

  /** WAL locations as PostgreSQL prints them, {@code X/Y} in hex. */
  static final class Lsn {
    private Lsn() {}

    static long parse(String text) {
      String[] parts = text.trim().split("/");
      return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
    }

    static String format(long lsn) {
      return String.format("%X/%X", lsn >>> 32, lsn & 0xffffffffL);
    }
  }
}
