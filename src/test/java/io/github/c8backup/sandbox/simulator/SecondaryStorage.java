package io.github.c8backup.sandbox.simulator;

/**
 * Where the simulated cluster keeps its secondary data (reference 0, 3.2, 9). With ELASTICSEARCH or
 * OPENSEARCH the Camunda exporter writes the web applications' indices and 8.8+ serves
 * {@code actuator/backupHistory}; with RDBMS (8.9 only) the exporter writes into a relational
 * database instead, and the web applications' backup endpoint does not exist.
 */
public enum SecondaryStorage {
  ELASTICSEARCH,
  OPENSEARCH,
  /** 8.9: a relational database reached over JDBC; the simulator speaks PostgreSQL. */
  RDBMS
}
