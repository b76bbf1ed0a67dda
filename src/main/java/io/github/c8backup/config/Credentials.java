package io.github.c8backup.config;

import jakarta.validation.constraints.NotBlank;

/**
 * HTTP basic credentials for a management API or a search engine. Never written to a process
 * variable or a log: {@link #toString()} masks the password.
 */
public record Credentials(@NotBlank String username, @NotBlank String password) {

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=******]";
  }
}
