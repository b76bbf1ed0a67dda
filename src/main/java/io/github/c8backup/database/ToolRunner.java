package io.github.c8backup.database;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one PostgreSQL program to completion and captures its output. Secrets never go into the
 * command or the environment, only the path of a private password file (see {@link Pgpass}), so
 * a recorded {@link Invocation} can be shown in logs and checked by tests.
 */
class ToolRunner {

  private static final int OUTPUT_LIMIT = 256 * 1024;

  /** A program, its arguments and the environment entries set on top of the inherited ones. */
  record Invocation(List<String> command, Map<String, String> environment, Duration timeout) {
    Invocation {
      command = List.copyOf(command);
      environment = Map.copyOf(environment);
    }

    String program() {
      return java.nio.file.Path.of(command.getFirst()).getFileName().toString();
    }
  }

  /** Exit code and the combined standard output and error (the last 256 KiB of it). */
  record Result(int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  Result run(Invocation invocation) {
    ProcessBuilder builder = new ProcessBuilder(invocation.command()).redirectErrorStream(true);
    builder.environment().putAll(invocation.environment());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + invocation.program(), e);
    }
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readBounded(process.getInputStream()));
    try {
      if (!process.waitFor(invocation.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new DatabaseBackupException(invocation.program() + " did not finish within " + invocation.timeout()
            + " and was stopped; output so far:\n" + output.getNow(""));
      }
      return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DatabaseBackupException("Interrupted while " + invocation.program() + " ran", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new DatabaseBackupException("Could not read the output of " + invocation.program(), e);
    }
  }

  /** The first line a program prints for {@code --version}. */
  static String version(java.nio.file.Path program) {
    Result result = new ToolRunner().run(new Invocation(List.of(program.toString(), "--version"),
        Map.of(), Duration.ofSeconds(30)));
    if (!result.succeeded()) {
      throw new DatabaseBackupException(program + " --version failed: " + result.output());
    }
    return result.output().lines().findFirst().orElse("");
  }

  private static String readBounded(InputStream in) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (in) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        kept.write(buffer, 0, read);
        if (kept.size() > 2 * OUTPUT_LIMIT) {
          byte[] all = kept.toByteArray();
          kept.reset();
          kept.write(all, all.length - OUTPUT_LIMIT, OUTPUT_LIMIT);
        }
      }
    } catch (IOException e) {
      // the process ended or was stopped: keep what was read
    }
    byte[] all = kept.toByteArray();
    int from = Math.max(0, all.length - OUTPUT_LIMIT);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }
}
