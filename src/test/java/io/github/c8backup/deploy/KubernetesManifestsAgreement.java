package io.github.c8backup.deploy;

import static io.github.c8backup.deploy.KubernetesManifests.list;
import static io.github.c8backup.deploy.KubernetesManifests.map;
import static io.github.c8backup.deploy.KubernetesManifests.strings;

import io.camunda.client.spring.properties.CamundaClientProperties;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.KubernetesSettings;
import io.github.c8backup.config.ManagementEndpoint;
import io.github.c8backup.config.OrchestratorProperties;
import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.metrics.MetricsProperties;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Checks that deploy/kubernetes and the application agree, as {@code ComposeAgreement} does for
 * docker-compose.yml: the ConfigMap's application.yaml and the Deployment's environment bind to
 * real properties and point at the Services Camunda's Helm chart creates, on the ports they serve;
 * the probes ask paths and the port the application serves; the Deployment runs as the
 * ServiceAccount the RoleBinding binds; the Secret's keys reach credential properties and nothing
 * secret is in the ConfigMap. Returns problems rather than throwing, so a test can break one thing
 * and see exactly that problem reported.
 */
final class KubernetesManifestsAgreement {

  /**
   * The chart's Services, by the suffix after the release name, and the ports the orchestrator uses,
   * with the port names of chart 13.x (8.8); 8.6 and 8.7 serve the same ports.
   */
  private enum ChartService {
    GATEWAY_MANAGEMENT("-zeebe-gateway", 9600, "management"),
    GATEWAY_REST("-zeebe-gateway", 8080, "http"),
    OPERATE_MANAGEMENT("-operate", 9600, "management"),
    TASKLIST_MANAGEMENT("-tasklist", 9600, "management"),
    OPTIMIZE_MANAGEMENT("-optimize", 8092, "management"),
    ELASTICSEARCH("-elasticsearch", 9200, "http");

    final String suffix;
    final int port;
    final String portName;

    ChartService(String suffix, int port, String portName) {
      this.suffix = suffix;
      this.port = port;
      this.portName = portName;
    }
  }

  private static final ConfigurationPropertyName METRICS = ConfigurationPropertyName.of("orchestrator.metrics");
  private static final List<String> ENVIRONMENT_PREFIXES =
      List.of("ORCHESTRATOR_", "CAMUNDA_CLIENT_", "SPRING_", "SERVER_", "MANAGEMENT_", "LOGGING_", "JAVA_TOOL_OPTIONS");
  private static final Set<String> CONFIGURATION_ROOTS =
      Set.of("orchestrator", "camunda", "spring", "server", "management", "logging");
  /** Last segments of a credential property, without dashes: what the Secret may set. */
  private static final Set<String> CREDENTIALS = Set.of("username", "password", "clientid", "clientsecret");
  /** Last segments of a property holding a secret, without dashes: what the ConfigMap must not set. */
  private static final Pattern SECRET = Pattern.compile(".*(password|secret|token)");

  private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

  private final KubernetesManifests manifests;
  private final Map<String, Object> applicationDefaults;
  private final String projectVersion;
  private final List<String> problems = new ArrayList<>();

  private KubernetesManifestsAgreement(
      KubernetesManifests manifests, Map<String, Object> applicationDefaults, String projectVersion) {
    this.manifests = manifests;
    this.applicationDefaults = applicationDefaults;
    this.projectVersion = projectVersion;
  }

  /**
   * @param applicationDefaults src/main/resources/application.yaml, the defaults in the image
   * @param projectVersion the version in pom.xml, which the image tag must be
   * @return every disagreement found, empty when the manifests agree with the application
   */
  static List<String> problems(
      KubernetesManifests manifests, Map<String, Object> applicationDefaults, String projectVersion) {
    KubernetesManifestsAgreement agreement =
        new KubernetesManifestsAgreement(manifests, applicationDefaults, projectVersion);
    agreement.check();
    return List.copyOf(agreement.problems);
  }

  private void check() {
    checkKustomization();
    Map<String, String> environment = environment();
    checkOnlyApplicationVariables(environment);
    List<ConfigurationPropertySource> sources = sources(environment);
    OrchestratorProperties properties = bind(sources, "orchestrator", OrchestratorProperties.class);
    bind(sources, "orchestrator.metrics", MetricsProperties.class);
    CamundaClientProperties client = bind(sources, "camunda.client", CamundaClientProperties.class);
    checkConfigurationRoots();
    List<String> targets = new ArrayList<>();
    if (properties != null) {
      validate(properties);
      if (properties.clusters() != null) {
        properties.clusters().forEach((name, cluster) -> checkCluster(name, cluster, targets));
      }
    }
    if (client != null) {
      checkControlEngine(client, targets);
    }
    checkSecrets();
    checkConfigMapHoldsNoSecret();
    Binder binder = new Binder(sources, null, conversion());
    checkDeployment(binder);
    checkServiceAccountAndRole();
  }

  // ---------------------------------------------------------------- kustomization

  private void checkKustomization() {
    manifests.files().forEach((file, exists) -> {
      if (!exists) {
        problems.add("kustomization.yaml names " + file + ", which does not exist");
      }
    });
    if (strings(manifests.kustomization().get("resources")).contains("secret.example.yaml")) {
      problems.add("kustomization.yaml applies secret.example.yaml, so its placeholders would become the real Secret");
    }
    if (manifests.configMapName() == null) {
      problems.add("no configMapGenerator of kustomization.yaml holds application.yaml");
    }
    for (Map<String, Object> resource : manifests.resources()) {
      Object namespace = map(resource.get("metadata")).get("namespace");
      if (namespace != null) {
        problems.add(resource.get("kind") + " " + name(resource) + " names namespace " + namespace
            + "; the manifests take the namespace they are applied to");
      }
    }
  }

  // ---------------------------------------------------------------- binding

  /** The container's environment; a variable from the Secret takes the example Secret's value. */
  private Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    Map<String, String> secret = manifests.secretExampleValues();
    for (Object item : list(manifests.container().get("env"))) {
      Map<String, Object> variable = map(item);
      String name = String.valueOf(variable.get("name"));
      if (variable.containsKey("value")) {
        environment.put(name, String.valueOf(variable.get("value")));
      }
      Map<String, Object> secretKey = map(map(variable.get("valueFrom")).get("secretKeyRef"));
      if (!secretKey.isEmpty() && secret.containsKey(String.valueOf(secretKey.get("key")))) {
        environment.put(name, secret.get(String.valueOf(secretKey.get("key"))));
      }
    }
    return environment;
  }

  private void checkOnlyApplicationVariables(Map<String, String> environment) {
    environment.keySet().stream()
        .filter(key -> ENVIRONMENT_PREFIXES.stream().noneMatch(key::startsWith))
        .forEach(key -> problems.add("env " + key + " is not a variable the application reads"));
  }

  /** What the application sees, highest precedence first: environment, the ConfigMap, the image's defaults. */
  private List<ConfigurationPropertySource> sources(Map<String, String> environment) {
    List<ConfigurationPropertySource> sources = new ArrayList<>();
    // The name makes Spring apply the environment-variable mapping (ORCHESTRATOR_X_Y -> orchestrator.x.y).
    var variables = new SystemEnvironmentPropertySource(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(environment));
    ConfigurationPropertySources.from(variables).forEach(sources::add);
    sources.add(new MapConfigurationPropertySource(flatten(manifests.configuration())));
    sources.add(new MapConfigurationPropertySource(flatten(applicationDefaults)));
    return sources;
  }

  /**
   * Binds as Spring Boot does at startup, except that a key reaching no property is an error rather
   * than silently ignored; {@code orchestrator.metrics} is its own properties class.
   */
  private <T> T bind(List<ConfigurationPropertySource> sources, String prefix, Class<T> type) {
    List<ConfigurationPropertySource> scoped = prefix.equals("orchestrator")
        ? sources.stream().map(source -> source.filter(name -> !METRICS.isAncestorOf(name))).toList()
        : sources;
    Binder binder = new Binder(scoped, null, conversion());
    try {
      return binder.bind(prefix, Bindable.of(type), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
          .orElseGet(() -> {
            problems.add("nothing configures '" + prefix + "'");
            return null;
          });
    } catch (BindException e) {
      problems.add("'" + prefix + "' does not bind: " + rootMessage(e));
      return null;
    }
  }

  private void checkConfigurationRoots() {
    for (String key : flatten(manifests.configuration()).keySet()) {
      String root = key.split("[.\\[]")[0];
      if (!CONFIGURATION_ROOTS.contains(root)) {
        problems.add("application.yaml sets " + key + ", which no part of the application reads");
      }
    }
  }

  private void validate(OrchestratorProperties properties) {
    for (ConstraintViolation<OrchestratorProperties> violation : VALIDATION.getValidator().validate(properties)) {
      problems.add("orchestrator." + violation.getPropertyPath() + " " + violation.getMessage());
    }
  }

  // ---------------------------------------------------------------- target clusters

  private void checkCluster(String name, TargetCluster cluster, List<String> targets) {
    String what = "orchestrator.clusters." + name;
    KubernetesSettings kubernetes = cluster.platform() == null ? null : cluster.platform().kubernetes();
    if (cluster.platform() == null || !"kubernetes".equals(cluster.platform().type())) {
      problems.add(what + ".platform.type is " + (cluster.platform() == null ? null : "'" + cluster.platform().type() + "'")
          + ", not kubernetes: a restore would wait for a person instead of scaling the release");
    }
    if (kubernetes == null) {
      problems.add(what + ".platform.kubernetes is not set: the release and namespace to restore are unknown");
      return;
    }
    String release = kubernetes.release();
    String namespace = kubernetes.namespace();
    targets.add(release + ChartService.GATEWAY_MANAGEMENT.suffix + "." + namespace);
    reachChart(what + ".zeebe.url", url(cluster.zeebe()), release, namespace, ChartService.GATEWAY_MANAGEMENT);
    reachChart(what + ".webapps.url", url(cluster.webapps()), release, namespace, ChartService.GATEWAY_MANAGEMENT);
    reachChart(what + ".zeebe-rest", cluster.zeebeRest(), release, namespace, ChartService.GATEWAY_REST);
    reachChart(what + ".operate.url", url(cluster.operate()), release, namespace, ChartService.OPERATE_MANAGEMENT);
    reachChart(what + ".tasklist.url", url(cluster.tasklist()), release, namespace, ChartService.TASKLIST_MANAGEMENT);
    reachChart(what + ".optimize.url", url(cluster.optimize()), release, namespace, ChartService.OPTIMIZE_MANAGEMENT);
    URI search = cluster.search() == null ? null : cluster.search().url();
    if (search != null && search.getHost() != null && search.getHost().startsWith(release + ChartService.ELASTICSEARCH.suffix)) {
      // an external Elasticsearch/OpenSearch is the user's to name
      reachChart(what + ".search.url", search, release, namespace, ChartService.ELASTICSEARCH);
    }
  }

  private void reachChart(String what, URI url, String release, String namespace, ChartService service) {
    if (url == null) {
      return;
    }
    String expected = release + service.suffix;
    if (!serviceNames(expected, namespace).contains(url.getHost())) {
      problems.add(what + " = " + url + " is not the chart's Service " + expected + " in namespace " + namespace);
      return;
    }
    if (port(url) != service.port) {
      problems.add(what + " = " + url + " uses port " + port(url) + " but Service " + expected + " serves port "
          + service.portName + " on " + service.port);
    }
  }

  /** How a pod reaches a Service: by its name in its own namespace, or qualified by the namespace. */
  private static List<String> serviceNames(String service, String namespace) {
    return List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  private void checkControlEngine(CamundaClientProperties client, List<String> targets) {
    URI grpc = client.getGrpcAddress();
    URI rest = client.getRestAddress();
    if (grpc == null || rest == null) {
      problems.add("camunda.client.grpc-address and rest-address must both name the control engine");
      return;
    }
    if (!Objects.equals(grpc.getHost(), rest.getHost())) {
      problems.add("camunda.client.grpc-address reaches " + grpc.getHost() + " but rest-address " + rest.getHost());
    }
    for (String target : targets) {
      String service = target.substring(0, target.indexOf('.'));
      String namespace = target.substring(target.indexOf('.') + 1);
      if (serviceNames(service, namespace).contains(grpc.getHost())) {
        problems.add("camunda.client points at " + grpc.getHost() + ", a cluster being backed up, instead of a control engine");
      }
    }
  }

  // ---------------------------------------------------------------- secrets

  private void checkSecrets() {
    String secretName = name(manifests.secretExample());
    Map<String, String> example = manifests.secretExampleValues();
    List<String> referenced = new ArrayList<>();
    for (Object item : list(manifests.container().get("env"))) {
      Map<String, Object> variable = map(item);
      Map<String, Object> secretKey = map(map(variable.get("valueFrom")).get("secretKeyRef"));
      if (secretKey.isEmpty()) {
        continue;
      }
      String env = String.valueOf(variable.get("name"));
      String key = String.valueOf(secretKey.get("key"));
      referenced.add(key);
      if (!secretName.equals(secretKey.get("name"))) {
        problems.add("env " + env + " reads Secret " + secretKey.get("name") + ", not " + secretName);
      }
      if (!example.containsKey(key)) {
        problems.add("env " + env + " reads key " + key + ", which secret.example.yaml does not have");
      }
      String property = env.toLowerCase(Locale.ROOT).replace('_', '.');
      String last = property.substring(property.lastIndexOf('.') + 1);
      if (!(property.startsWith("orchestrator.") || property.startsWith("camunda.client.")) || !CREDENTIALS.contains(last)) {
        problems.add("env " + env + " comes from the Secret but sets " + property
            + ", which is not a credential; it belongs in application.yaml");
      }
    }
    example.keySet().stream().filter(key -> !referenced.contains(key))
        .forEach(key -> problems.add("secret.example.yaml has key " + key + ", which no env var reads"));
  }

  private void checkConfigMapHoldsNoSecret() {
    Map<String, String> configuration = flatten(manifests.configuration());
    configuration.forEach((key, value) -> {
      String last = key.substring(key.lastIndexOf('.') + 1).replace("-", "").toLowerCase(Locale.ROOT);
      if (SECRET.matcher(last).matches()) {
        problems.add("application.yaml sets " + key + ", a secret: it is in a ConfigMap, readable by anyone who may"
            + " read the namespace's ConfigMaps; give it through the Secret");
      }
    });
    manifests.secretExampleValues().forEach((secretKey, secret) -> {
      // user names are no secret and may well be part of a repository's or bucket's name
      if (secretKey.contains("password") || secretKey.contains("secret")) {
        configuration.forEach((key, value) -> {
          if (value.contains(secret)) {
            problems.add("application.yaml holds the Secret's value of " + key);
          }
        });
      }
    });
  }

  // ---------------------------------------------------------------- deployment

  private void checkDeployment(Binder binder) {
    Map<String, Object> deployment = manifests.deployment();
    Object replicas = map(deployment.get("spec")).get("replicas");
    if (!Integer.valueOf(1).equals(replicas)) {
      problems.add("the Deployment runs " + replicas + " replicas; request outcomes and run metrics are per replica");
    }
    Map<String, Object> container = manifests.container();
    checkImage(String.valueOf(container.get("image")));
    int serverPort = binder.bind("server.port", Integer.class).orElse(8080);
    if (containerPort(container, "http") != serverPort) {
      problems.add("container port http is " + containerPort(container, "http") + " but the application listens on server.port "
          + serverPort);
    }
    checkProbes(container, binder, serverPort);
    checkService(serverPort);
    checkConfigurationMount(container);
    checkSecurity(container);
    Map<String, Object> resources = map(container.get("resources"));
    if (map(resources.get("requests")).get("cpu") == null || map(resources.get("requests")).get("memory") == null
        || map(resources.get("limits")).get("memory") == null) {
      problems.add("the container needs cpu and memory requests and a memory limit");
    }
  }

  private void checkImage(String image) {
    if (image.contains("@sha256:")) {
      return;
    }
    int colon = image.lastIndexOf(':');
    String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : null;
    if (tag == null || tag.equals("latest")) {
      problems.add("image " + image + " is not pinned to a version");
    } else if (!tag.equals(projectVersion)) {
      problems.add("image " + image + " is not the project's version " + projectVersion);
    }
  }

  private void checkProbes(Map<String, Object> container, Binder binder, int serverPort) {
    int managementPort = binder.bind("management.server.port", Integer.class).orElse(serverPort);
    String basePath = binder.bind("management.endpoints.web.base-path", String.class).orElse("/actuator");
    if (!binder.bind("management.endpoint.health.probes.enabled", Boolean.class).orElse(false)) {
      problems.add("management.endpoint.health.probes.enabled is not true, so /health/liveness and /health/readiness"
          + " do not exist");
    }
    String exposed = binder.bind("management.endpoints.web.exposure.include", String.class).orElse("health");
    if (!exposed.contains("health") && !exposed.contains("*")) {
      problems.add("management.endpoints.web.exposure.include does not expose health");
    }
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("startupProbe", basePath + "/health/liveness");
    expected.put("livenessProbe", basePath + "/health/liveness");
    expected.put("readinessProbe", basePath + "/health/readiness");
    expected.forEach((probe, path) -> {
      Map<String, Object> httpGet = map(map(container.get(probe)).get("httpGet"));
      if (httpGet.isEmpty()) {
        problems.add("the container has no " + probe + " asking " + path);
        return;
      }
      if (!path.equals(httpGet.get("path"))) {
        problems.add(probe + " asks " + httpGet.get("path") + " but the application serves " + path);
      }
      int port = resolvePort(container, httpGet.get("port"));
      if (port != managementPort) {
        problems.add(probe + " asks port " + httpGet.get("port") + " (" + port + ") but the actuator is on " + managementPort);
      }
    });
  }

  private void checkService(int serverPort) {
    Map<String, Object> service = manifests.resource("Service").orElse(null);
    if (service == null) {
      problems.add("no single Service for the orchestrator's port");
      return;
    }
    Map<String, Object> podLabels = map(map(map(map(manifests.deployment().get("spec")).get("template")).get("metadata"))
        .get("labels"));
    Map<String, Object> selector = map(map(service.get("spec")).get("selector"));
    if (selector.isEmpty() || !podLabels.entrySet().containsAll(selector.entrySet())) {
      problems.add("Service " + name(service) + " selects " + selector + ", which the orchestrator's pods " + podLabels
          + " do not match");
    }
    boolean reachesServer = list(map(service.get("spec")).get("ports")).stream()
        .anyMatch(port -> resolvePort(manifests.container(), map(port).get("targetPort")) == serverPort);
    if (!reachesServer) {
      problems.add("Service " + name(service) + " forwards to no port the application listens on (" + serverPort + ")");
    }
  }

  private void checkConfigurationMount(Map<String, Object> container) {
    String locations = null;
    for (Object item : list(container.get("env"))) {
      if ("SPRING_CONFIG_ADDITIONAL_LOCATION".equals(map(item).get("name"))) {
        locations = String.valueOf(map(item).get("value"));
      }
    }
    if (locations == null) {
      problems.add("no SPRING_CONFIG_ADDITIONAL_LOCATION, so the application does not read the ConfigMap");
      return;
    }
    List<String> configMapMounts = new ArrayList<>();
    for (Object item : list(container.get("volumeMounts"))) {
      Map<String, Object> mount = map(item);
      Map<String, Object> volume = volume(String.valueOf(mount.get("name")));
      if (Objects.equals(map(volume.get("configMap")).get("name"), manifests.configMapName())) {
        configMapMounts.add(String.valueOf(mount.get("mountPath")).replaceAll("/+$", "") + "/");
      }
    }
    boolean read = false;
    for (String location : locations.split(",")) {
      String path = location.trim().replaceFirst("^optional:", "").replaceFirst("^file:", "");
      read |= configMapMounts.contains(path);
    }
    if (!read) {
      problems.add("SPRING_CONFIG_ADDITIONAL_LOCATION is " + locations + " but ConfigMap " + manifests.configMapName()
          + " is mounted at " + configMapMounts + " (a folder location ends with /)");
    }
  }

  private void checkSecurity(Map<String, Object> container) {
    Map<String, Object> pod = map(manifests.podSpec().get("securityContext"));
    Map<String, Object> own = map(container.get("securityContext"));
    if (!Boolean.TRUE.equals(pod.get("runAsNonRoot")) && !Boolean.TRUE.equals(own.get("runAsNonRoot"))) {
      problems.add("runAsNonRoot is not set");
    }
    if (!"RuntimeDefault".equals(map(pod.get("seccompProfile")).get("type"))
        && !"RuntimeDefault".equals(map(own.get("seccompProfile")).get("type"))) {
      problems.add("the seccomp profile is not RuntimeDefault");
    }
    if (!Boolean.TRUE.equals(own.get("readOnlyRootFilesystem"))) {
      problems.add("the root file system is writable (readOnlyRootFilesystem)");
    }
    if (!Boolean.FALSE.equals(own.get("allowPrivilegeEscalation"))) {
      problems.add("allowPrivilegeEscalation is not false");
    }
    if (!strings(map(own.get("capabilities")).get("drop")).contains("ALL")) {
      problems.add("capabilities do not drop ALL");
    }
    boolean tmp = list(container.get("volumeMounts")).stream()
        .anyMatch(mount -> "/tmp".equals(map(mount).get("mountPath"))
            && volume(String.valueOf(map(mount).get("name"))).containsKey("emptyDir"));
    if (!tmp) {
      problems.add("no emptyDir at /tmp, which the JVM and Tomcat need on a read-only root file system");
    }
    if (Boolean.FALSE.equals(manifests.podSpec().get("automountServiceAccountToken"))) {
      problems.add("automountServiceAccountToken is false, so the restore platform has no credentials");
    }
  }

  private void checkServiceAccountAndRole() {
    String account = manifests.resource("ServiceAccount").map(KubernetesManifestsAgreement::name).orElse(null);
    String role = manifests.resource("Role").map(KubernetesManifestsAgreement::name).orElse(null);
    Map<String, Object> binding = manifests.resource("RoleBinding").orElse(null);
    Object used = manifests.podSpec().get("serviceAccountName");
    if (account == null || !account.equals(used)) {
      problems.add("the Deployment runs as service account " + used + " but the manifests create " + account);
    }
    if (binding == null || role == null) {
      problems.add("expected one Role and one RoleBinding");
      return;
    }
    Map<String, Object> roleRef = map(binding.get("roleRef"));
    if (!"Role".equals(roleRef.get("kind")) || !Objects.equals(role, roleRef.get("name"))) {
      problems.add("RoleBinding " + name(binding) + " refers to " + roleRef.get("kind") + " " + roleRef.get("name")
          + ", not Role " + role);
    }
    boolean bound = list(binding.get("subjects")).stream().map(KubernetesManifests::map)
        .anyMatch(subject -> "ServiceAccount".equals(subject.get("kind")) && Objects.equals(account, subject.get("name")));
    if (!bound) {
      problems.add("RoleBinding " + name(binding) + " does not bind service account " + account);
    }
    list(binding.get("subjects")).stream().map(KubernetesManifests::map)
        .filter(subject -> subject.get("namespace") != null)
        .forEach(subject -> problems.add("RoleBinding " + name(binding) + " names namespace " + subject.get("namespace")
            + " for " + subject.get("name") + "; without one, RBAC takes the binding's own"));
  }

  // ---------------------------------------------------------------- helpers

  private Map<String, Object> volume(String name) {
    return list(manifests.podSpec().get("volumes")).stream().map(KubernetesManifests::map)
        .filter(volume -> name.equals(volume.get("name"))).findFirst().orElse(Map.of());
  }

  private static int containerPort(Map<String, Object> container, String name) {
    return list(container.get("ports")).stream().map(KubernetesManifests::map)
        .filter(port -> name.equals(port.get("name")))
        .map(port -> Integer.parseInt(String.valueOf(port.get("containerPort"))))
        .findFirst().orElse(-1);
  }

  /** A probe's or Service's port: a number, or the name of a container port. */
  private static int resolvePort(Map<String, Object> container, Object port) {
    if (port instanceof Integer number) {
      return number;
    }
    return containerPort(container, String.valueOf(port));
  }

  private static URI url(ManagementEndpoint endpoint) {
    return endpoint == null ? null : endpoint.url();
  }

  private static int port(URI url) {
    if (url.getPort() >= 0) {
      return url.getPort();
    }
    return "https".equals(url.getScheme()) ? 443 : 80;
  }

  private static String name(Map<String, Object> resource) {
    return String.valueOf(map(resource.get("metadata")).get("name"));
  }

  private static ApplicationConversionService conversion() {
    ApplicationConversionService conversion = new ApplicationConversionService();
    conversion.addConverter(String.class, CamundaVersion.class, CamundaVersion::parse);
    return conversion;
  }

  /** YAML flattened the way Spring Boot's loader does: {@code a.b} for maps, {@code a[0]} for lists. */
  static Map<String, String> flatten(Map<String, Object> yaml) {
    Map<String, String> flat = new LinkedHashMap<>();
    flatten("", yaml, flat);
    return flat;
  }

  private static void flatten(String prefix, Object value, Map<String, String> flat) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, nested) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, nested, flat));
    } else if (value instanceof List<?> items) {
      for (int i = 0; i < items.size(); i++) {
        flatten(prefix + "[" + i + "]", items.get(i), flat);
      }
    } else {
      flat.put(prefix, value == null ? "" : String.valueOf(value));
    }
  }

  private static String rootMessage(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.add(t.getMessage());
    }
    return String.join(" <- ", messages);
  }
}
