package io.github.c8backup.config;

import jakarta.validation.Valid;

/**
 * The database of a cluster whose secondary storage is an RDBMS (8.9+), for its native backups.
 * PostgreSQL today; MySQL, MariaDB, Oracle and SQL Server would each add a field here.
 */
public record DatabaseSettings(@Valid PostgresSettings postgres) {}
