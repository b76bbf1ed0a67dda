package io.github.c8backup.backup;

/**
 * Which parts of the cluster this backup covers, decided once by the prepare step from the
 * configuration and the version. A false flag routes the process through a visible "skipped" event.
 */
public record Components(boolean operate, boolean tasklist, boolean webapps, boolean optimize, boolean recordsSnapshot) {}
