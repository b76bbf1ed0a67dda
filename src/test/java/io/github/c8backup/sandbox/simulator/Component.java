package io.github.c8backup.sandbox.simulator;

/** A part of the simulated Camunda target cluster that fault injection can address. */
public enum Component {
  /** Zeebe's management API: exporting and the Zeebe backup endpoints. */
  ZEEBE,
  /** Operate's own management server (8.6/8.7). */
  OPERATE,
  /** Tasklist's own management server (8.6/8.7). */
  TASKLIST,
  /** The combined {@code actuator/backupHistory} endpoint on Zeebe's management port (8.8+). */
  WEBAPPS,
  /** Optimize's management API (port 8092). */
  OPTIMIZE,
  /** The gateway's REST API ({@code /v2/topology}, {@code /v2/process-instances}). */
  GATEWAY
}
