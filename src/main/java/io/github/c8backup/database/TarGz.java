package io.github.c8backup.database;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPInputStream;

/**
 * Extracts the gzip-compressed ustar archives {@code pg_basebackup --format=tar --gzip} writes
 * ({@code base.tar.gz}, {@code pg_wal.tar.gz}). Regular files and folders only, all owned by the
 * extracting user with modes PostgreSQL accepts (0600/0700); entries that would land outside the
 * target are refused, and so are symbolic links (tablespaces, which these backups do not cover).
 */
final class TarGz {

  private static final int BLOCK = 512;

  private TarGz() {}

  /** Extracts {@code archive} into {@code target} (created if missing); returns the number of files. */
  static int extract(Path archive, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    int files = 0;
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 65536)) {
      byte[] header = new byte[BLOCK];
      while (true) {
        if (!readBlock(in, header)) {
          throw new EOFException(archive + " ends without the tar end marker");
        }
        if (isZero(header)) {
          return files; // end of archive: two zero blocks, the second need not be read
        }
        verifyChecksum(header, archive);
        String name = text(header, 0, 100);
        String prefix = text(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = number(header, 124, 12);
        char type = (char) header[156];
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
          throw new IOException("Entry " + name + " of " + archive + " would be written outside " + root);
        }
        switch (type) {
          case '0', '\0' -> {
            Files.createDirectories(path.getParent());
            try (OutputStream out = Files.newOutputStream(path)) {
              copy(in, out, size);
            }
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            skip(in, padding(size));
            files++;
          }
          case '5' -> {
            Files.createDirectories(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
          }
          case '2' -> throw new IOException("Entry " + name + " of " + archive
              + " is a symbolic link (a tablespace?); backups with tablespaces are not supported");
          default -> throw new IOException("Entry " + name + " of " + archive + " has the unsupported tar type '"
              + type + "'");
        }
      }
    }
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int read = in.readNBytes(block, 0, BLOCK);
    if (read == 0) {
      return false;
    }
    if (read < BLOCK) {
      throw new EOFException("Truncated tar header");
    }
    return true;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[65536];
    long left = size;
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        throw new EOFException("Truncated tar entry");
      }
      out.write(buffer, 0, read);
      left -= read;
    }
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    in.skipNBytes(bytes); // EOFException when the archive ends early
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void verifyChecksum(byte[] header, Path archive) throws IOException {
    long expected = number(header, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    if (sum != expected) {
      throw new IOException(archive + " is damaged: a tar header checksum does not match");
    }
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** Octal, or base-256 when the high bit of the first byte is set (files over 8 GiB). */
  private static long number(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (header[offset + i] & 0xff);
      }
      return value;
    }
    String digits = text(header, offset, length).trim();
    return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
  }
}
