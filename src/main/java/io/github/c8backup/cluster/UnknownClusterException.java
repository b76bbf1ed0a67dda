package io.github.c8backup.cluster;

import java.util.Set;

/** A process asked for a cluster name that is not configured under {@code orchestrator.clusters}. */
public class UnknownClusterException extends RuntimeException {

  public UnknownClusterException(String name, Set<String> known) {
    super("Unknown cluster '" + name + "'; configured clusters: " + known);
  }
}
