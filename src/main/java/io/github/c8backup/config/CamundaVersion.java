package io.github.c8backup.config;

import java.util.Arrays;

/**
 * The API flavour of a target cluster: the Camunda minor version decides paths, ports, the
 * webapps layout and the step order (reference sections 0, 6.1 and 6.2).
 */
public enum CamundaVersion {
  V8_6("8.6"),
  V8_7("8.7"),
  V8_8("8.8"),
  V8_9("8.9");

  private final String minor;

  CamundaVersion(String minor) {
    this.minor = minor;
  }

  public String minor() {
    return minor;
  }

  /** 8.8+ soft-pauses exporting before the web applications are backed up (camunda/camunda#16919). */
  public boolean pausesExportingFirst() {
    return this == V8_8 || this == V8_9;
  }

  /** 8.8+ backs up Operate and Tasklist together through {@code /actuator/backupHistory}. */
  public boolean hasCombinedWebapps() {
    return pausesExportingFirst();
  }

  /** Actuator endpoint id of the Zeebe backup API: {@code backups} up to 8.7, {@code backupRuntime} from 8.8. */
  public String zeebeBackupEndpoint() {
    return pausesExportingFirst() ? "backupRuntime" : "backups";
  }

  /** Actuator endpoint id of the web applications backup API. */
  public String webappsBackupEndpoint() {
    return hasCombinedWebapps() ? "backupHistory" : "backups";
  }

  /** 8.6/8.7 always snapshot {@code zeebe-record*}; 8.8+ only when an ES/OS exporter runs. */
  public boolean alwaysSnapshotsRecords() {
    return !pausesExportingFirst();
  }

  /**
   * Parses "8.8", "8.8.3", "8.8.0-alpha1" or the enum name "V8_8".
   *
   * @throws IllegalArgumentException for anything outside 8.6 to 8.9, with the accepted values
   */
  public static CamundaVersion parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("Camunda version is empty; expected one of 8.6, 8.7, 8.8, 8.9");
    }
    String trimmed = text.trim();
    for (CamundaVersion version : values()) {
      if (version.name().equalsIgnoreCase(trimmed)
          || trimmed.equals(version.minor)
          || trimmed.startsWith(version.minor + ".")
          || trimmed.startsWith(version.minor + "-")) {
        return version;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported Camunda version '" + text + "'; supported: "
            + Arrays.stream(values()).map(CamundaVersion::minor).toList());
  }

  @Override
  public String toString() {
    return minor;
  }
}
