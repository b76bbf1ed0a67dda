package io.github.c8backup.sandbox.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link CamundaTargetSimulator}. The exact Camunda version matters only through its
 * minor (8.6 to 8.9), which decides paths, ports, index names and behaviour; the full version goes
 * into snapshot names, manifests and the topology like on a real cluster.
 *
 * <p>Ports are 0 (ephemeral) by default so several simulators and tests can run side by side;
 * {@link Builder#realPorts()} binds the real defaults (reference 1.3) instead.
 *
 * @param contextPath prefix of every Zeebe/Operate/Tasklist management path (not Optimize's,
 *     reference 1.3), "" or a path such as "/example"
 * @param recordsExporterEnabled whether an ES/OS exporter writes {@code zeebe-record*}; always true
 *     for 8.6/8.7 (the importers need it), on 8.8+ it defaults to {@code optimizeEnabled} like the
 *     Helm chart (reference 5)
 * @param optimizeSaysComplete Optimize answers the documented {@code COMPLETE} instead of the
 *     {@code COMPLETED} its code returns (reference 4), to test clients against both spellings
 * @param backupDuration how long a Zeebe backup, and each web application or Optimize snapshot
 *     part before it is taken, stays IN_PROGRESS
 * @param s3BasePath Zeebe's {@code s3.basePath}: no leading or trailing slash; "" for none
 * @param dataDirectory where the simulated brokers keep their state, one folder per node
 *     ({@code node-0/}); null means a temporary directory the simulator creates and deletes on
 *     close. A given directory is kept, so a simulator started on it again resumes its state.
 * @param secondaryStorage ELASTICSEARCH or OPENSEARCH (from {@code elasticsearch} unless set), or
 *     RDBMS (8.9 only): then the exporter writes into the database at {@code rdbmsUrl}, there is no
 *     {@code backupHistory} endpoint and no web application index, and {@code searchUrl} is needed
 *     only for Optimize or a {@code zeebe-record*} exporter
 * @param rdbmsUrl JDBC URL of the PostgreSQL database the RDBMS exporter writes to
 * @param continuousBackups 8.9 {@code camunda.data.primary-storage.backup.continuous}: the log is
 *     compacted only up to the last completed backup, backups form ranges, and a backup is
 *     requested without an ID, which the brokers generate (reference 2.3, 9)
 * @param backupSchedule 8.9 {@code backup.schedule} as an ISO-8601 interval (no CRON): the brokers
 *     take a SCHEDULED_BACKUP with a generated ID every interval; null for none
 * @param checkpointInterval 8.9 {@code backup.checkpoint-interval}: a MARKER checkpoint every
 *     interval, the granularity of a restore {@code --to}; null for none
 * @param backupIdOffset 8.9 {@code backup.offset}, added to the epoch milliseconds of a generated ID
 * @param retentionWindow 8.9 {@code backup.retention.window}: the brokers delete their backups older
 *     than this, always keeping the newest, so the ranges shrink from their start (reference 6.4, 9);
 *     null for none
 * @param retentionCleanupSchedule 8.9 {@code backup.retention.cleanup-schedule} as an interval: how
 *     often that runs; null means the backup schedule's interval
 * @param indexPrefix the index prefix of every simulated component ("" for none): the web
 *     applications' and Optimize's indices become {@code <prefix>-operate-...} and the exporter's
 *     {@code <prefix>-zeebe-record_...}, as an operator sets Camunda's {@code index-prefix} and the
 *     exporter's {@code index.prefix} alike when clusters share one search engine
 */
public record SimulatorSettings(
    String camundaVersion,
    int partitions,
    String host,
    int zeebeManagementPort,
    int gatewayRestPort,
    int operatePort,
    int tasklistPort,
    int optimizePort,
    String contextPath,
    boolean optimizeEnabled,
    boolean optimizeSaysComplete,
    boolean recordsExporterEnabled,
    Duration backupDuration,
    URI searchUrl,
    boolean elasticsearch,
    String snapshotRepository,
    URI s3Endpoint,
    String s3Region,
    String s3AccessKey,
    String s3SecretKey,
    String s3Bucket,
    String s3BasePath,
    Path dataDirectory,
    SecondaryStorage secondaryStorage,
    String rdbmsUrl,
    String rdbmsUsername,
    String rdbmsPassword,
    boolean continuousBackups,
    Duration backupSchedule,
    Duration checkpointInterval,
    long backupIdOffset,
    Duration retentionWindow,
    Duration retentionCleanupSchedule,
    String indexPrefix) {

  public static final int REAL_ZEEBE_MANAGEMENT_PORT = 9600;
  public static final int REAL_GATEWAY_REST_PORT = 8080;
  public static final int REAL_OPTIMIZE_PORT = 8092;

  public SimulatorSettings {
    Objects.requireNonNull(camundaVersion, "camundaVersion");
    minorOf(camundaVersion); // fails early on an unsupported version
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    host = host == null || host.isBlank() ? "127.0.0.1" : host;
    contextPath = normalizeContextPath(contextPath);
    // 8.6/8.7: Operate, Tasklist and Optimize import from zeebe-record*, so the exporter always runs (reference 5)
    recordsExporterEnabled = recordsExporterEnabled || !isAtLeast88(camundaVersion);
    backupDuration = backupDuration == null ? Duration.ofSeconds(2) : backupDuration;
    if (secondaryStorage == null) {
      secondaryStorage = elasticsearch ? SecondaryStorage.ELASTICSEARCH : SecondaryStorage.OPENSEARCH;
    }
    boolean rdbms = secondaryStorage == SecondaryStorage.RDBMS;
    boolean is89 = minorOf(camundaVersion).equals("8.9");
    if (rdbms && !is89) {
      // RDBMS secondary storage and its backup path exist from 8.9 on (reference 0, 6.3)
      throw new IllegalArgumentException("RDBMS secondary storage needs Camunda 8.9, got " + camundaVersion);
    }
    if (rdbms) {
      Objects.requireNonNull(rdbmsUrl, "rdbmsUrl (the RDBMS secondary storage's JDBC URL)");
    }
    if (!is89 && (continuousBackups || backupSchedule != null || checkpointInterval != null || backupIdOffset != 0)) {
      // continuous backups, the scheduler and generated IDs are 8.9 features (reference 0, 9)
      throw new IllegalArgumentException("continuous backups, backup schedule, checkpoint interval and ID offset "
          + "need Camunda 8.9, got " + camundaVersion);
    }
    requirePositive(backupSchedule, "backupSchedule");
    requirePositive(checkpointInterval, "checkpointInterval");
    requirePositive(retentionWindow, "retentionWindow");
    requirePositive(retentionCleanupSchedule, "retentionCleanupSchedule");
    if (!is89 && retentionWindow != null) {
      throw new IllegalArgumentException("backup retention needs Camunda 8.9, got " + camundaVersion);
    }
    if (backupIdOffset < 0) {
      throw new IllegalArgumentException("backupIdOffset must be >= 0, got " + backupIdOffset);
    }
    if (!rdbms || optimizeEnabled || recordsExporterEnabled) {
      // ES/OS secondary storage, or Optimize and its zeebe-record exporter next to an RDBMS (reference 4)
      Objects.requireNonNull(searchUrl, "searchUrl");
    }
    snapshotRepository = snapshotRepository == null ? "camunda-backups" : snapshotRepository;
    Objects.requireNonNull(s3Endpoint, "s3Endpoint");
    s3Region = s3Region == null ? "us-east-1" : s3Region;
    Objects.requireNonNull(s3Bucket, "s3Bucket");
    s3BasePath = s3BasePath == null ? "" : s3BasePath.replaceAll("^/+|/+$", "");
    indexPrefix = indexPrefix == null ? "" : indexPrefix;
    if (!indexPrefix.isEmpty() && !indexPrefix.matches("[a-z0-9][a-z0-9_.]*")) {
      // lower case and no '-' of its own, so that one prefix can never be the start of another's names
      throw new IllegalArgumentException("indexPrefix must be lower case letters, digits, '_' or '.', got '" + indexPrefix + "'");
    }
  }

  /** A component's index name with this cluster's {@link #indexPrefix()}. */
  public String indexName(String name) {
    return indexPrefix.isEmpty() ? name : indexPrefix + "-" + name;
  }

  /** The ES/OS exporter's {@code index.prefix}: {@code zeebe-record}, behind the cluster's index prefix. */
  public String recordsIndexPrefix() {
    return indexName("zeebe-record");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.camundaVersion = camundaVersion;
    b.partitions = partitions;
    b.host = host;
    b.zeebeManagementPort = zeebeManagementPort;
    b.gatewayRestPort = gatewayRestPort;
    b.operatePort = operatePort;
    b.tasklistPort = tasklistPort;
    b.optimizePort = optimizePort;
    b.contextPath = contextPath;
    b.optimizeEnabled = optimizeEnabled;
    b.optimizeSaysComplete = optimizeSaysComplete;
    b.recordsExporterEnabled = recordsExporterEnabled;
    b.backupDuration = backupDuration;
    b.searchUrl = searchUrl;
    b.elasticsearch = elasticsearch;
    b.snapshotRepository = snapshotRepository;
    b.s3Endpoint = s3Endpoint;
    b.s3Region = s3Region;
    b.s3AccessKey = s3AccessKey;
    b.s3SecretKey = s3SecretKey;
    b.s3Bucket = s3Bucket;
    b.s3BasePath = s3BasePath;
    b.dataDirectory = dataDirectory;
    b.secondaryStorage = secondaryStorage;
    b.rdbmsUrl = rdbmsUrl;
    b.rdbmsUsername = rdbmsUsername;
    b.rdbmsPassword = rdbmsPassword;
    b.continuousBackups = continuousBackups;
    b.backupSchedule = backupSchedule;
    b.checkpointInterval = checkpointInterval;
    b.backupIdOffset = backupIdOffset;
    b.retentionWindow = retentionWindow;
    b.retentionCleanupSchedule = retentionCleanupSchedule;
    b.indexPrefix = indexPrefix;
    return b;
  }

  /** "8.6", "8.7", "8.8" or "8.9". */
  public String minorVersion() {
    return minorOf(camundaVersion);
  }

  /** 8.8+: one orchestration cluster; webapps backed up through {@code backupHistory} (reference 3.2). */
  public boolean combinedWebapps() {
    return isAtLeast88(camundaVersion);
  }

  public boolean is89() {
    return minorVersion().equals("8.9");
  }

  /** True when the exporter writes into a relational database (8.9 RDBMS secondary storage). */
  public boolean rdbms() {
    return secondaryStorage == SecondaryStorage.RDBMS;
  }

  /** 8.8+ with ES/OS secondary storage: the web applications are backed up through {@code backupHistory}. */
  public boolean webappsBackups() {
    return combinedWebapps() && !rdbms();
  }

  @Override
  public String toString() {
    return "SimulatorSettings[camundaVersion=" + camundaVersion + ", partitions=" + partitions
        + ", host=" + host + ", contextPath='" + contextPath + "', optimizeEnabled=" + optimizeEnabled
        + ", recordsExporterEnabled=" + recordsExporterEnabled + ", backupDuration=" + backupDuration
        + ", searchUrl=" + searchUrl + ", elasticsearch=" + elasticsearch
        + ", snapshotRepository=" + snapshotRepository + ", s3Endpoint=" + s3Endpoint
        + ", s3Bucket=" + s3Bucket + ", s3BasePath=" + s3BasePath + ", dataDirectory=" + dataDirectory
        + ", s3AccessKey=" + s3AccessKey
        + ", s3SecretKey=***, secondaryStorage=" + secondaryStorage + ", rdbmsUrl=" + rdbmsUrl
        + ", rdbmsUsername=" + rdbmsUsername + ", rdbmsPassword=***, continuousBackups=" + continuousBackups
        + ", backupSchedule=" + backupSchedule + ", checkpointInterval=" + checkpointInterval
        + ", backupIdOffset=" + backupIdOffset + ", retentionWindow=" + retentionWindow
        + ", retentionCleanupSchedule=" + retentionCleanupSchedule + ", indexPrefix=" + indexPrefix + "]";
  }

  private static String minorOf(String version) {
    for (String minor : new String[] {"8.6", "8.7", "8.8", "8.9"}) {
      if (version.equals(minor) || version.startsWith(minor + ".") || version.startsWith(minor + "-")) {
        return minor;
      }
    }
    throw new IllegalArgumentException(
        "The Camunda target simulator supports 8.6 to 8.9, got '" + version + "'");
  }

  private static boolean isAtLeast88(String version) {
    String minor = minorOf(version);
    return minor.equals("8.8") || minor.equals("8.9");
  }

  private static void requirePositive(Duration interval, String name) {
    if (interval != null && (interval.isNegative() || interval.isZero())) {
      throw new IllegalArgumentException(name + " must be positive, got " + interval);
    }
  }

  private static String normalizeContextPath(String path) {
    if (path == null || path.isBlank() || path.equals("/")) {
      return "";
    }
    String trimmed = path.trim().replaceAll("/+$", "");
    return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
  }

  /** Mutable builder with the defaults named in the class comment. */
  public static final class Builder {
    private String camundaVersion = "8.8.3";
    private int partitions = 3;
    private String host = "127.0.0.1";
    private int zeebeManagementPort;
    private int gatewayRestPort;
    private int operatePort;
    private int tasklistPort;
    private int optimizePort;
    private String contextPath = "";
    private boolean optimizeEnabled;
    private boolean optimizeSaysComplete;
    private Boolean recordsExporterEnabled;
    private Duration backupDuration = Duration.ofSeconds(2);
    private URI searchUrl;
    private boolean elasticsearch;
    private String snapshotRepository = "camunda-backups";
    private URI s3Endpoint;
    private String s3Region = "us-east-1";
    private String s3AccessKey;
    private String s3SecretKey;
    private String s3Bucket;
    private String s3BasePath = "";
    private Path dataDirectory;
    private SecondaryStorage secondaryStorage;
    private String rdbmsUrl;
    private String rdbmsUsername;
    private String rdbmsPassword;
    private boolean continuousBackups;
    private Duration backupSchedule;
    private Duration checkpointInterval;
    private long backupIdOffset;
    private Duration retentionWindow;
    private Duration retentionCleanupSchedule;
    private String indexPrefix = "";

    private Builder() {}

    public Builder camundaVersion(String value) { camundaVersion = value; return this; }
    public Builder partitions(int value) { partitions = value; return this; }
    public Builder host(String value) { host = value; return this; }
    public Builder zeebeManagementPort(int value) { zeebeManagementPort = value; return this; }
    public Builder gatewayRestPort(int value) { gatewayRestPort = value; return this; }
    public Builder operatePort(int value) { operatePort = value; return this; }
    public Builder tasklistPort(int value) { tasklistPort = value; return this; }
    public Builder optimizePort(int value) { optimizePort = value; return this; }
    public Builder contextPath(String value) { contextPath = value; return this; }
    public Builder optimizeEnabled(boolean value) { optimizeEnabled = value; return this; }
    public Builder optimizeSaysComplete(boolean value) { optimizeSaysComplete = value; return this; }
    public Builder recordsExporterEnabled(boolean value) { recordsExporterEnabled = value; return this; }
    public Builder backupDuration(Duration value) { backupDuration = value; return this; }
    public Builder searchUrl(URI value) { searchUrl = value; return this; }
    public Builder elasticsearch(boolean value) { elasticsearch = value; return this; }
    public Builder snapshotRepository(String value) { snapshotRepository = value; return this; }
    public Builder s3Endpoint(URI value) { s3Endpoint = value; return this; }
    public Builder s3Region(String value) { s3Region = value; return this; }
    public Builder s3AccessKey(String value) { s3AccessKey = value; return this; }
    public Builder s3SecretKey(String value) { s3SecretKey = value; return this; }
    public Builder s3Bucket(String value) { s3Bucket = value; return this; }
    public Builder s3BasePath(String value) { s3BasePath = value; return this; }
    public Builder dataDirectory(Path value) { dataDirectory = value; return this; }
    /** ELASTICSEARCH/OPENSEARCH (default: from {@link #search}) or RDBMS (8.9, with {@link #rdbms}). */
    public Builder secondaryStorage(SecondaryStorage value) { secondaryStorage = value; return this; }
    public Builder continuousBackups(boolean value) { continuousBackups = value; return this; }
    /** An ISO-8601 interval such as {@code PT5S}; null for no scheduled backups. */
    public Builder backupSchedule(Duration value) { backupSchedule = value; return this; }
    /** Interval of MARKER checkpoints; null for none. */
    public Builder checkpointInterval(Duration value) { checkpointInterval = value; return this; }
    public Builder backupIdOffset(long value) { backupIdOffset = value; return this; }
    /** Zeebe's own retention window ({@code backup.retention.window}); null for none. */
    public Builder retentionWindow(Duration value) { retentionWindow = value; return this; }
    /** How often Zeebe's retention runs; null for the backup schedule's interval. */
    public Builder retentionCleanupSchedule(Duration value) { retentionCleanupSchedule = value; return this; }
    /** Index prefix of every simulated component, "" for none (see the record's comment). */
    public Builder indexPrefix(String value) { indexPrefix = value; return this; }

    /** RDBMS secondary storage (8.9): the exporter writes into this PostgreSQL database. */
    public Builder rdbms(String jdbcUrl, String username, String password) {
      secondaryStorage = SecondaryStorage.RDBMS;
      rdbmsUrl = jdbcUrl;
      rdbmsUsername = username;
      rdbmsPassword = password;
      return this;
    }

    /**
     * The real ports (reference 1.3): Zeebe management 9600, gateway REST 8080, Optimize 8092.
     * Operate and Tasklist also use 9600 on their own hosts; on one host they get 9601 and 9602.
     */
    public Builder realPorts() {
      zeebeManagementPort = REAL_ZEEBE_MANAGEMENT_PORT;
      gatewayRestPort = REAL_GATEWAY_REST_PORT;
      operatePort = REAL_ZEEBE_MANAGEMENT_PORT + 1;
      tasklistPort = REAL_ZEEBE_MANAGEMENT_PORT + 2;
      optimizePort = REAL_OPTIMIZE_PORT;
      return this;
    }

    /** Search engine and repository in one call. */
    public Builder search(URI url, boolean isElasticsearch, String repository) {
      searchUrl = url;
      elasticsearch = isElasticsearch;
      snapshotRepository = repository;
      return this;
    }

    /** Zeebe's S3 backup store in one call. */
    public Builder s3(URI endpoint, String region, String accessKey, String secretKey, String bucket) {
      s3Endpoint = endpoint;
      s3Region = region;
      s3AccessKey = accessKey;
      s3SecretKey = secretKey;
      s3Bucket = bucket;
      return this;
    }

    public SimulatorSettings build() {
      boolean exporter = recordsExporterEnabled != null ? recordsExporterEnabled : optimizeEnabled;
      return new SimulatorSettings(camundaVersion, partitions, host, zeebeManagementPort,
          gatewayRestPort, operatePort, tasklistPort, optimizePort, contextPath, optimizeEnabled,
          optimizeSaysComplete, exporter, backupDuration, searchUrl, elasticsearch,
          snapshotRepository, s3Endpoint, s3Region, s3AccessKey, s3SecretKey, s3Bucket, s3BasePath,
          dataDirectory, secondaryStorage, rdbmsUrl, rdbmsUsername, rdbmsPassword, continuousBackups,
          backupSchedule, checkpointInterval, backupIdOffset, retentionWindow, retentionCleanupSchedule, indexPrefix);
    }
  }
}
