package io.github.c8backup.sandbox.storage;

/** The search engines the sandbox can start from their minimal Maven Central distributions. */
public enum SearchEngineKind {
  OPENSEARCH,
  ELASTICSEARCH
}
