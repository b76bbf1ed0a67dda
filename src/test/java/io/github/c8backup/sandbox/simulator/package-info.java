/**
 * A contract-faithful SIMULATOR of a Camunda 8 Self-Managed cluster's management APIs (8.6 to
 * 8.9), test code only, never part of the product artifact. Camunda's servers may not be
 * downloaded here, so {@link io.github.c8backup.sandbox.simulator.CamundaTargetSimulator} answers
 * the paths, bodies, status codes and quirks of {@code /work/shared/reference/camunda-backup-api.md}
 * sections 0-6, while the storage work is real: ES/OS snapshots, S3 objects, exported documents.
 * The 8.9 RDBMS target (sections 2.3, 6.3, 7.5, 9) exports into a real PostgreSQL database,
 * backs up continuously with generated IDs and backup ranges, and restores aligned to the
 * database's {@code EXPORTER_POSITION}. It takes plain settings (URLs, JDBC coordinates,
 * credentials) and does not depend on the sandbox's storage processes.
 */
package io.github.c8backup.sandbox.simulator;
