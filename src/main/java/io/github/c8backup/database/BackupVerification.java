package io.github.c8backup.database;

import java.time.Instant;

/**
 * The outcome of checking a base backup with the vendor's tool.
 *
 * @param details what the tool reported, or why it could not check (a damaged archive, say)
 */
public record BackupVerification(String label, boolean passed, String details, Instant verifiedAt) {}
