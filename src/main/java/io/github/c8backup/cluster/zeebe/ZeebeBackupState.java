package io.github.c8backup.cluster.zeebe;

/**
 * Zeebe backup state, overall or per partition (reference section 2.4). Overall: all partitions
 * COMPLETED gives COMPLETED; any FAILED gives FAILED; else any DOES_NOT_EXIST gives INCOMPLETE;
 * else IN_PROGRESS. DELETED exists from 8.9; INCOMPATIBLE is in the OpenAPI enum only.
 */
public enum ZeebeBackupState {
  COMPLETED,
  IN_PROGRESS,
  FAILED,
  INCOMPLETE,
  INCOMPATIBLE,
  DOES_NOT_EXIST,
  DELETED
}
