package io.github.c8backup.cli;

/** Wrong arguments: refused before any request is sent (exit code 2). */
final class UsageException extends RuntimeException {

  private final String verb;

  UsageException(String verb, String message) {
    super(message);
    this.verb = verb;
  }

  /** The verb whose help to point to, or null for the tool's help. */
  String verb() {
    return verb;
  }
}
