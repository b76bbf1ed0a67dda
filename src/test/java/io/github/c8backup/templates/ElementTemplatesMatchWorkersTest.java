package io.github.c8backup.templates;

import static io.github.c8backup.backup.BpmnErrors.BACKUP_FAILED;
import static io.github.c8backup.backup.BpmnErrors.CLUSTER_NOT_READY;
import static io.github.c8backup.backup.BpmnErrors.COVERAGE_GAP;
import static io.github.c8backup.backup.BpmnErrors.INVALID_REQUEST;
import static io.github.c8backup.backup.BpmnErrors.PREFLIGHT_FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camunda.client.annotation.Variable;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeHeader;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskHeaders;
import io.github.c8backup.backup.BpmnErrors;
import io.github.c8backup.backup.JobTypes;
import io.github.c8backup.backup.StepFailures;
import io.github.c8backup.restore.RestoreJobTypes;
import io.github.c8backup.retention.RetentionJobTypes;
import io.github.c8backup.run.RunJobTypes;
import io.github.c8backup.testing.JobWorkerScan;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Modeler element templates in {@code bpmn/element-templates/}, one per job type, against the
 * workers that serve them: the template's job type has a worker, its inputs are variables that
 * worker reads, the variables it cannot do without are required inputs, and what it reads but the
 * template must not map, and the BPMN errors it throws, are named in the description. Retries and
 * the rollback header default to what the shipped processes use. The form is checked against the
 * official template schema the files cite, vendored in {@code src/test/resources/element-templates/}:
 * its keys and binding types, plus the rules of this project.
 *
 * <p>Which variables a worker needs is decided by reading the worker and written down in
 * {@link #CONTRACTS}; every name there is checked against the worker's {@code @Variable} names or
 * the components of its {@code @VariablesAsType} record, so a rename breaks this test.
 */
class ElementTemplatesMatchWorkersTest {

  static final Path TEMPLATES = Path.of("bpmn", "element-templates");
  static final String SCHEMA_VERSION = "0.46.0";
  static final String SCHEMA_URL = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema@" + SCHEMA_VERSION
      + "/resources/schema.json";
  static final String ID_PREFIX = "io.github.c8backup.";

  /** The bindings a template of ours may use. No zeebe:output: one output mapping stops every other job variable from reaching the process. */
  static final Set<String> OUR_BINDINGS = Set.of("zeebe:taskDefinition", "zeebe:input", "zeebe:taskHeader");

  /** The header choice that is not {@link StepFailures#ROLLBACK}; the worker treats any other value as "raise an incident". */
  static final String INCIDENT = "incident";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What each worker needs, from reading it.
   *
   * <ul>
   *   <li>requires: it fails or does nothing useful without these; the template offers them with notEmpty
   *   <li>fromScope: it reads them, but the template does not offer them, because the step writes them
   *       itself (an input mapping would make a local variable that keeps its output from the process)
   *       or because they are the state earlier steps left; the description names each
   *   <li>errors: the BPMN error codes it can throw; the description names exactly these
   *   <li>alsoReads: read through {@code job.getVariablesAsMap()}, which reflection cannot see
   * </ul>
   */
  static final Map<String, Contract> CONTRACTS = contracts(
      job(JobTypes.PREPARE).requires("cluster").fromScope("backupId").errors(INVALID_REQUEST, CLUSTER_NOT_READY),
      job(JobTypes.TAKE_OPERATE_BACKUP).requires("cluster", "camundaVersion", "backupId").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.TAKE_TASKLIST_BACKUP).requires("cluster", "camundaVersion", "backupId").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.TAKE_WEBAPPS_BACKUP).requires("cluster", "camundaVersion", "backupId").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.TAKE_OPTIMIZE_BACKUP).requires("cluster", "camundaVersion", "backupId").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.CHECK_WEBAPPS_BACKUPS).requires("cluster", "camundaVersion", "backupId")
          .fromScope("operateBackup", "tasklistBackup", "webappsBackup", "optimizeBackup").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.SOFT_PAUSE_EXPORTING).requires("cluster", "camundaVersion").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.SNAPSHOT_ZEEBE_RECORDS).requires("cluster", "camundaVersion", "backupId").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.CHECK_RECORDS_SNAPSHOT).requires("cluster", "camundaVersion", "backupId").fromScope("recordsSnapshot")
          .errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.TAKE_ZEEBE_BACKUP).requires("cluster", "camundaVersion", "backupId").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.CHECK_ZEEBE_BACKUP).requires("cluster", "camundaVersion", "backupId").fromScope("zeebeBackup")
          .errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.RESUME_EXPORTING).requires("cluster", "camundaVersion").fromScope("exportingPausedAt", "exportingResumedAt")
          .errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.VERIFY_BACKUP).requires("cluster", "camundaVersion", "backupId")
          .fromScope("operateBackup", "tasklistBackup", "webappsBackup", "optimizeBackup", "recordsSnapshot").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.REMOVE_PARTIAL_BACKUP).requires("cluster", "camundaVersion"),
      job(JobTypes.CHECK_CONTINUOUS_BACKUPS).requires("cluster", "camundaVersion").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.BACKUP_DATABASE).requires("cluster").fromScope("startedAt").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.TAKE_ZEEBE_BACKUP_GENERATED_ID).requires("cluster", "camundaVersion").errors(BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.VERIFY_BACKUP_COVERAGE).requires("cluster", "camundaVersion", "backupId").fromScope("zeebeBackup")
          .errors(COVERAGE_GAP, BACKUP_FAILED, INVALID_REQUEST),
      job(JobTypes.APPLY_RETENTION).requires("cluster", "camundaVersion"),
      job(JobTypes.REMOVE_PARTIAL_DATABASE_BACKUP).requires("cluster").fromScope("startedAt"),
      job(JobTypes.WATCHDOG_RESUME_EXPORTING).requires("cluster", "camundaVersion").fromScope("watchdogReason"),
      job(JobTypes.WATCHDOG_CHECK_BACKUP_INSTANCE),
      job(JobTypes.WATCHDOG_REMOVE_ABANDONED_BACKUP).requires("cluster", "camundaVersion"),

      job(RestoreJobTypes.RESOLVE_BACKUP).requires("cluster").fromScope("backupId", "pointInTime", "preApproved")
          .alsoReads("pointInTime", "preApproved").errors(INVALID_REQUEST, BACKUP_FAILED),
      job(RestoreJobTypes.PREFLIGHT).requires("cluster", "camundaVersion", "backupId", "components")
          .errors(PREFLIGHT_FAILED, INVALID_REQUEST, BACKUP_FAILED),
      job(RestoreJobTypes.RDBMS_PREFLIGHT).requires("cluster", "camundaVersion").errors(PREFLIGHT_FAILED, INVALID_REQUEST, BACKUP_FAILED),
      job(RestoreJobTypes.STOP_COMPONENTS).requires("cluster"),
      job(RestoreJobTypes.CHECK_COMPONENTS_STOPPED).requires("cluster"),
      job(RestoreJobTypes.DELETE_INDICES).requires("cluster", "camundaVersion", "restorePlan"),
      job(RestoreJobTypes.RESTORE_SNAPSHOTS).requires("cluster", "camundaVersion", "restorePlan").fromScope("restoredDocumentCounts"),
      job(RestoreJobTypes.START_BROKER_RESTORE).requires("cluster", "backupId"),
      job(RestoreJobTypes.CHECK_BROKER_RESTORE).requires("cluster", "backupId"),
      job(RestoreJobTypes.START_COMPONENTS).requires("cluster"),
      // restorePlan's partition count wins when present; both preflights write partitionCount
      job(RestoreJobTypes.CHECK_CLUSTER_HEALTH).requires("cluster", "camundaVersion", "partitionCount").fromScope("restorePlan"),
      job(RestoreJobTypes.VERIFY_RESTORE).requires("cluster", "camundaVersion", "partitionCount")
          .fromScope("restorePlan", "restoredDocumentCounts", "backupId", "pointInTime"),
      job(RestoreJobTypes.RECOVER_DATABASE).requires("cluster", "recoveryPoint"),
      job(RestoreJobTypes.RESTORE_BROKERS_RDBMS).requires("cluster"),

      job(RetentionJobTypes.SELECT_EXPIRED_BACKUPS).requires("cluster"),
      job(RetentionJobTypes.DELETE_EXPIRED_BACKUP).requires("cluster", "expiredBackupId", "retentionCamundaVersion"),

      job(RunJobTypes.REQUEST_SCHEDULED_BACKUP).requires("cluster"),
      job(RunJobTypes.REQUEST_SCHEDULED_RETENTION).requires("cluster"),
      job(RunJobTypes.RECORD_RUN_OUTCOME).requires("cluster")
          .fromScope("outcome", "failedStep", "failureReason", "finishedAt", "exportingPausedMillis", "requestedAt", "requestId"),
      job(RunJobTypes.RECORD_SKIPPED_REQUEST).requires("cluster", "skippedRequest"));

  private static TemplateCheck check;
  private static Map<String, JsonNode> templates;

  @BeforeAll
  static void readWorkersProcessesAndTemplates() throws Exception {
    check = new TemplateCheck(workerReads(), BpmnFacts.of(JobWorkerScan.bpmnModels()), schema());
    templates = new TreeMap<>();
    try (Stream<Path> files = Files.list(TEMPLATES)) {
      for (Path file : files.sorted().toList()) {
        templates.put(file.getFileName().toString(), JSON.readTree(file.toFile()));
      }
    }
  }

  @Test
  void everyJobTypeHasExactlyOneTemplateAndEveryTemplateAWorker() throws Exception {
    // given
    Set<String> constants = JobWorkerScan.jobTypeConstants();
    Map<String, List<String>> filesByType = new TreeMap<>();
    templates.forEach((file, template) -> filesByType.computeIfAbsent(TemplateCheck.jobType(template), k -> new ArrayList<>()).add(file));

    // then
    assertThat(templates.keySet()).as("files in %s", TEMPLATES).allMatch(f -> f.endsWith(".json"));
    assertThat(filesByType.keySet()).as("job types of the templates").containsExactlyInAnyOrderElementsOf(constants);
    filesByType.forEach((type, files) -> assertThat(files).as("templates for job type %s", type).hasSize(1));
    assertThat(check.workers.keySet()).as("job types with a worker").containsAll(filesByType.keySet());
    assertThat(CONTRACTS.keySet()).as("job types with a contract in this test").containsExactlyInAnyOrderElementsOf(constants);
  }

  @Test
  void everyTemplateOffersWhatItsWorkerReadsAndNamesWhatItThrows() {
    // when
    Map<String, List<String>> problems = new TreeMap<>();
    templates.forEach((file, template) -> {
      List<String> found = check.problems(file, template);
      if (!found.isEmpty()) {
        problems.put(file, found);
      }
    });

    // then
    assertThat(templates).hasSizeGreaterThanOrEqualTo(CONTRACTS.size());
    assertThat(problems).as("problems per template").isEmpty();
  }

  @Test
  void templateIdsAreUnique() {
    // given
    Map<String, List<String>> filesById = new TreeMap<>();
    templates.forEach((file, template) -> filesById.computeIfAbsent(template.path("id").asText(), k -> new ArrayList<>()).add(file));

    // then
    filesById.forEach((id, files) -> assertThat(files).as("templates with id %s", id).hasSize(1));
  }

  @Test
  void reportsAMisspeltInput() {
    // given
    ObjectNode broken = copy("backup.take-zeebe-backup.json");
    binding(input(broken, "cluster")).put("name", "clustr");

    // when
    List<String> problems = check.problems("backup.take-zeebe-backup.json", broken);

    // then
    assertThat(problems).anyMatch(p -> p.contains("'clustr'") && p.contains("not a variable the worker reads"));
    assertThat(problems).anyMatch(p -> p.contains("'cluster'") && p.contains("required"));
  }

  @Test
  void reportsAJobTypeWithoutWorker() {
    // given
    ObjectNode broken = copy("backup.take-zeebe-backup.json");
    ((ObjectNode) taskType(broken)).put("value", "backup.take-zebee-backup");

    // when
    List<String> problems = check.problems("backup.take-zeebe-backup.json", broken);

    // then
    assertThat(problems).anyMatch(p -> p.contains("no worker for job type backup.take-zebee-backup"));
    assertThat(problems).anyMatch(p -> p.contains("file name"));
  }

  @Test
  void reportsAnInputThatWouldKeepTheStepsOwnOutputFromTheProcess() {
    // given: check-zeebe-backup reads zeebeBackup and writes it back; a local copy would swallow the update
    ObjectNode broken = copy("backup.check-zeebe-backup.json");
    ObjectNode mapped = input(broken, "backupId").deepCopy();
    mapped.put("value", "=zeebeBackup");
    binding(mapped).put("name", "zeebeBackup");
    ((ArrayNode) broken.get("properties")).add(mapped);

    // when
    List<String> problems = check.problems("backup.check-zeebe-backup.json", broken);

    // then
    assertThat(problems).anyMatch(p -> p.contains("'zeebeBackup'") && p.contains("from the process scope"));
  }

  @Test
  void reportsARequiredInputThatMayBeLeftEmpty() {
    // given
    ObjectNode broken = copy("restore.delete-indices.json");
    input(broken, "restorePlan").remove("constraints");

    // when
    List<String> problems = check.problems("restore.delete-indices.json", broken);

    // then
    assertThat(problems).anyMatch(p -> p.contains("'restorePlan'") && p.contains("notEmpty"));
  }

  @Test
  void reportsAnOptionalInputWithConstraintsThatTheSchemaRejects() {
    // given: the schema wants notEmpty false stated on an optional property with constraints
    ObjectNode broken = copy("backup.check-webapps-backups.json");
    ((ObjectNode) input(broken, "incompleteGrace").get("constraints")).remove("notEmpty");

    // when
    List<String> problems = check.problems("backup.check-webapps-backups.json", broken);

    // then
    assertThat(problems).anyMatch(p -> p.contains("notEmpty false") && p.contains("incompleteGrace"));
  }

  @Test
  void reportsABpmnErrorTheDescriptionDoesNotName() {
    // given
    ObjectNode broken = copy("backup.rdbms.verify-coverage.json");
    broken.put("description", broken.get("description").asText().replace(COVERAGE_GAP, "a gap"));

    // when
    List<String> problems = check.problems("backup.rdbms.verify-coverage.json", broken);

    // then
    assertThat(problems).anyMatch(p -> p.contains(COVERAGE_GAP) && p.contains("description"));
  }

  @Test
  void reportsRetriesOtherThanTheShippedProcessesAndAnUnknownKey() {
    // given
    ObjectNode broken = copy("backup.resume-exporting.json");
    ((ObjectNode) property(broken, "zeebe:taskDefinition", "property", "retries")).put("value", "3").put("lable", "Retries");

    // when
    List<String> problems = check.problems("backup.resume-exporting.json", broken);

    // then
    assertThat(problems).anyMatch(p -> p.contains("retries 3") && p.contains("[10]"));
    assertThat(problems).anyMatch(p -> p.contains("'lable'"));
  }

  // ------------------------------------------------------------------------------------------

  /** The contract of one job type; see {@link #CONTRACTS}. */
  record Contract(String jobType, Set<String> required, Set<String> fromScope, Set<String> errors, Set<String> alsoReads) {

    Contract requires(String... names) {
      return new Contract(jobType, Set.of(names), fromScope, errors, alsoReads);
    }

    Contract fromScope(String... names) {
      return new Contract(jobType, required, Set.of(names), errors, alsoReads);
    }

    Contract errors(String... codes) {
      return new Contract(jobType, required, fromScope, Set.of(codes), alsoReads);
    }

    Contract alsoReads(String... names) {
      return new Contract(jobType, required, fromScope, errors, Set.of(names));
    }
  }

  static Contract job(String jobType) {
    return new Contract(jobType, Set.of(), Set.of(), Set.of(), Set.of());
  }

  static Map<String, Contract> contracts(Contract... contracts) {
    Map<String, Contract> byType = new LinkedHashMap<>();
    for (Contract contract : contracts) {
      assertThat(byType.put(contract.jobType(), contract)).as("contract for %s written twice", contract.jobType()).isNull();
    }
    return byType;
  }

  /**
   * The variables a worker method reads: its {@code @Variable} names, and the components of its
   * {@code @VariablesAsType} record. {@code complete} when it binds no record: then every variable
   * it reads is known, and each must be offered or named.
   */
  record WorkerReads(String method, Set<String> variables, boolean complete) {}

  static Map<String, WorkerReads> workerReads() throws ClassNotFoundException {
    Map<String, WorkerReads> reads = new TreeMap<>();
    JobWorkerScan.workersByType().forEach((type, methods) -> {
      Method method = methods.getFirst(); // JobWorkersMatchBpmnTest proves there is exactly one
      Set<String> variables = new TreeSet<>();
      boolean complete = true;
      for (Parameter parameter : method.getParameters()) {
        Variable variable = parameter.getAnnotation(Variable.class);
        if (variable != null) {
          variables.add(!variable.name().isEmpty() ? variable.name() : !variable.value().isEmpty() ? variable.value() : parameter.getName());
        }
        if (parameter.isAnnotationPresent(VariablesAsType.class)) {
          assertThat(parameter.getType().isRecord()).as("%s binds a record", method).isTrue();
          Arrays.stream(parameter.getType().getRecordComponents()).map(RecordComponent::getName).forEach(variables::add);
          complete = false;
        }
      }
      reads.put(type, new WorkerReads(method.getDeclaringClass().getSimpleName() + "." + method.getName(), variables, complete));
    });
    return reads;
  }

  /** Per job type, the retries and the {@value StepFailures#EXHAUSTED_HEADER} values (null: absent) of its tasks in {@code bpmn/}. */
  record BpmnFacts(Map<String, Set<String>> retries, Map<String, Set<String>> exhaustedHeader) {

    static BpmnFacts of(List<BpmnModelInstance> models) {
      Map<String, Set<String>> retries = new TreeMap<>();
      Map<String, Set<String>> headers = new TreeMap<>();
      for (BpmnModelInstance model : models) {
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
          ZeebeTaskDefinition definition = task.getSingleExtensionElement(ZeebeTaskDefinition.class);
          retries.computeIfAbsent(definition.getType(), k -> new TreeSet<>()).add(definition.getRetries());
          ZeebeTaskHeaders taskHeaders = task.getSingleExtensionElement(ZeebeTaskHeaders.class);
          String header = taskHeaders == null ? null : taskHeaders.getHeaders().stream()
              .filter(h -> h.getKey().equals(StepFailures.EXHAUSTED_HEADER)).map(ZeebeHeader::getValue).findFirst().orElse(null);
          headers.computeIfAbsent(definition.getType(), k -> new LinkedHashSet<>()).add(header);
        }
      }
      return new BpmnFacts(retries, headers);
    }
  }

  /** What the vendored schema defines: the keys of a template and of a property, and the binding types. */
  record SchemaFacts(Set<String> requiredTemplateKeys, Set<String> templateKeys, Set<String> propertyKeys, Set<String> bindingTypes) {}

  static SchemaFacts schema() throws IOException {
    JsonNode schema;
    try (InputStream in = ElementTemplatesMatchWorkersTest.class.getResourceAsStream(
        "/element-templates/zeebe-element-templates-json-schema-" + SCHEMA_VERSION + ".json")) {
      assertThat(in).as("vendored schema %s", SCHEMA_VERSION).isNotNull();
      schema = JSON.readTree(in);
    }
    assertThat(schema.path("$id").asText()).isEqualTo("http://camunda.org/schema/zeebe-element-templates/1.0");
    JsonNode template = schema.at("/definitions/template");
    JsonNode property = schema.at("/definitions/properties/allOf");
    Set<String> templateKeys = new TreeSet<>(names(template.at("/allOf/0/properties")));
    templateKeys.addAll(names(template.path("properties")));
    Set<String> propertyKeys = new TreeSet<>();
    for (JsonNode part : property) {
      // a property's keys, including those the schema allows only under a condition (placeholder: String and Text)
      propertyKeys.addAll(names(part.at("/items/properties")));
      for (JsonNode condition : part.at("/items/allOf")) {
        propertyKeys.addAll(names(condition.at("/then/properties")));
        propertyKeys.addAll(names(condition.at("/else/properties")));
      }
    }
    Set<String> bindingTypes = new TreeSet<>();
    property.at("/1/items/properties/binding/properties/type/enum").forEach(t -> bindingTypes.add(t.asText()));
    Set<String> required = new TreeSet<>();
    template.at("/allOf/0/required").forEach(k -> required.add(k.asText()));
    // the JSON pointers above follow the schema's layout; a newer schema that moves them must fail here, not pass vacuously
    assertThat(List.of(templateKeys, propertyKeys, bindingTypes, required)).as("read from the schema").allMatch(s -> !s.isEmpty());
    assertThat(bindingTypes).containsAll(OUR_BINDINGS);
    return new SchemaFacts(required, templateKeys, propertyKeys, bindingTypes);
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Compares one template with its worker, the shipped processes and the schema; returns what is wrong, in words. */
  static final class TemplateCheck {

    private static final Set<String> ERROR_CODES = errorCodes();
    private static final Set<String> FEEL = Set.of("optional", "required");

    final Map<String, WorkerReads> workers;
    private final BpmnFacts bpmn;
    private final SchemaFacts schema;

    TemplateCheck(Map<String, WorkerReads> workers, BpmnFacts bpmn, SchemaFacts schema) {
      this.workers = workers;
      this.bpmn = bpmn;
      this.schema = schema;
    }

    static String jobType(JsonNode template) {
      JsonNode type = taskType(template);
      return type == null ? "(none)" : type.path("value").asText();
    }

    List<String> problems(String file, JsonNode template) {
      List<String> problems = new ArrayList<>();
      form(template, problems);
      String type = jobType(template);
      if (!file.equals(type + ".json")) {
        problems.add("file name " + file + " is not the job type " + type + " + .json");
      }
      if (!template.path("id").asText().equals(ID_PREFIX + (type.contains(".") ? type : "run." + type))) {
        problems.add("id " + template.path("id").asText() + " is not " + ID_PREFIX + " + the job type");
      }
      WorkerReads worker = workers.get(type);
      Contract contract = CONTRACTS.get(type);
      if (worker == null || contract == null) {
        problems.add("no worker for job type " + type + (contract == null ? ", and no contract in this test" : ""));
        return problems;
      }
      inputs(template, contract, worker, problems);
      description(template, contract, problems);
      retriesAndHeader(template, type, problems);
      return problems;
    }

    /** The rules of the schema this test can check without a validator, and the house rules. */
    private void form(JsonNode template, List<String> problems) {
      if (!SCHEMA_URL.equals(template.path("$schema").asText())) {
        problems.add("$schema is not " + SCHEMA_URL);
      }
      schema.requiredTemplateKeys().stream().filter(k -> !template.has(k)).forEach(k -> problems.add("missing key '" + k + "'"));
      names(template).stream().filter(k -> !schema.templateKeys().contains(k)).forEach(k -> problems.add("unknown key '" + k + "'"));
      if (!template.path("version").isInt() || template.path("version").asInt() < 1) {
        problems.add("version is not a positive integer");
      }
      for (String text : List.of("name", "description")) {
        if (template.path(text).asText().isBlank()) {
          problems.add(text + " is blank");
        }
      }
      if (!"[\"bpmn:ServiceTask\"]".equals(template.path("appliesTo").toString())
          || !"bpmn:ServiceTask".equals(template.at("/elementType/value").asText())) {
        problems.add("appliesTo and elementType must be bpmn:ServiceTask");
      }
      if (template.at("/category/id").asText().isBlank() || template.at("/category/name").asText().isBlank()) {
        problems.add("category needs id and name");
      }
      Set<String> groups = new TreeSet<>();
      template.path("groups").forEach(g -> groups.add(g.path("id").asText()));
      Set<String> bindings = new TreeSet<>();
      int taskTypes = 0;
      for (JsonNode property : template.path("properties")) {
        JsonNode binding = property.path("binding");
        String bindingType = binding.path("type").asText();
        names(property).stream().filter(k -> !schema.propertyKeys().contains(k)).forEach(k -> problems.add("unknown property key '" + k + "'"));
        if (!schema.bindingTypes().contains(bindingType) || !OUR_BINDINGS.contains(bindingType)) {
          problems.add("binding type '" + bindingType + "' is not one of " + OUR_BINDINGS);
        }
        if (!bindings.add(binding.toString())) {
          problems.add("two properties bind " + binding);
        }
        if (property.has("group") && !groups.contains(property.path("group").asText())) {
          problems.add("group '" + property.path("group").asText() + "' is not declared");
        }
        if (property.has("feel") && !FEEL.contains(property.path("feel").asText())) {
          problems.add("feel '" + property.path("feel").asText() + "' on " + binding);
        }
        if ("Dropdown".equals(property.path("type").asText()) && property.path("choices").isEmpty()) {
          problems.add("a Dropdown without choices: " + binding);
        }
        // two conditional rules of the schema that the key and binding checks above do not cover
        if (property.path("optional").asBoolean(false) && property.has("constraints") && !property.at("/constraints/notEmpty").isBoolean()) {
          problems.add("optional with constraints must say constraints.notEmpty false: " + binding);
        }
        if (property.has("placeholder") && !Set.of("String", "Text").contains(property.path("type").asText())) {
          problems.add("a placeholder on a " + property.path("type").asText() + ": " + binding);
        }
        if (bindingType.equals("zeebe:taskDefinition") && binding.path("property").asText().equals("type")) {
          taskTypes++;
          if (!"Hidden".equals(property.path("type").asText())) {
            problems.add("the job type must be Hidden, so that a user cannot pick a type no worker serves");
          }
        }
      }
      if (taskTypes != 1) {
        problems.add(taskTypes + " zeebe:taskDefinition type bindings, expected 1");
      }
    }

    private static void inputs(JsonNode template, Contract contract, WorkerReads worker, List<String> problems) {
      Set<String> reads = new TreeSet<>(worker.variables());
      reads.addAll(contract.alsoReads());
      for (String name : union(contract.required(), contract.fromScope())) {
        if (!reads.contains(name)) {
          problems.add("contract names '" + name + "', which " + worker.method() + " does not read (renamed?); it reads " + reads);
        }
      }
      Map<String, JsonNode> inputs = new TreeMap<>();
      for (JsonNode property : template.path("properties")) {
        if (property.at("/binding/type").asText().equals("zeebe:input")) {
          inputs.put(property.at("/binding/name").asText(), property);
        }
      }
      inputs.forEach((name, property) -> {
        if (!reads.contains(name)) {
          problems.add("input '" + name + "' is not a variable the worker reads (" + worker.method() + " reads " + reads + ")");
        }
        if (contract.fromScope().contains(name)) {
          problems.add("input '" + name + "' must come from the process scope: the step writes it or earlier steps own it,"
              + " and a local copy would hide the step's output from the process");
        }
        boolean notEmpty = property.at("/constraints/notEmpty").asBoolean(false);
        boolean optional = property.path("optional").asBoolean(false);
        if (contract.required().contains(name) && (!notEmpty || optional)) {
          problems.add("input '" + name + "' is required by the worker but may be left empty (set constraints.notEmpty, not optional)");
        }
        if (!contract.required().contains(name) && (notEmpty || !optional)) {
          problems.add("input '" + name + "' is optional for the worker; mark it optional, without notEmpty");
        }
        if (!property.path("value").asText().startsWith("=")) {
          problems.add("input '" + name + "' should default to a FEEL expression, e.g. =" + name);
        }
      });
      contract.required().stream().filter(n -> !inputs.containsKey(n))
          .forEach(n -> problems.add("input '" + n + "' is required by the worker but the template does not offer it"));
      if (worker.complete()) {
        reads.stream().filter(n -> !inputs.containsKey(n) && !contract.fromScope().contains(n))
            .forEach(n -> problems.add("the worker reads '" + n + "', which the template neither offers nor names as read from scope"));
      }
    }

    private static void description(JsonNode template, Contract contract, List<String> problems) {
      String description = template.path("description").asText();
      for (String name : contract.fromScope()) {
        if (!Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(description).find()) {
          problems.add("the description does not name '" + name + "', which the step reads from the process scope");
        }
      }
      Set<String> named = new TreeSet<>();
      ERROR_CODES.stream().filter(code -> Pattern.compile("\\b" + code + "\\b").matcher(description).find()).forEach(named::add);
      if (!named.equals(new TreeSet<>(contract.errors()))) {
        problems.add("the description names BPMN errors " + named + ", the worker throws " + new TreeSet<>(contract.errors()));
      }
    }

    private void retriesAndHeader(JsonNode template, String type, List<String> problems) {
      JsonNode retries = property(template, "zeebe:taskDefinition", "property", "retries");
      Set<String> shipped = bpmn.retries().getOrDefault(type, Set.of());
      if (retries == null || !shipped.contains(retries.path("value").asText())) {
        problems.add("retries " + (retries == null ? "missing" : retries.path("value").asText()) + ", the shipped processes use " + shipped);
      }
      JsonNode header = property(template, "zeebe:taskHeader", "key", StepFailures.EXHAUSTED_HEADER);
      Set<String> headers = bpmn.exhaustedHeader().getOrDefault(type, Set.of());
      boolean shippedUsesIt = headers.contains(StepFailures.ROLLBACK);
      if (header == null) {
        if (shippedUsesIt) {
          problems.add("the shipped processes set " + StepFailures.EXHAUSTED_HEADER + " on " + type + "; offer it");
        }
        return;
      }
      if (!shippedUsesIt) {
        problems.add(StepFailures.EXHAUSTED_HEADER + " is offered, but the shipped processes never roll back " + type);
      }
      Set<String> choices = new TreeSet<>();
      header.path("choices").forEach(c -> choices.add(c.path("value").asText()));
      if (!choices.equals(Set.of(StepFailures.ROLLBACK, INCIDENT))) {
        problems.add(StepFailures.EXHAUSTED_HEADER + " choices " + choices + ", expected " + StepFailures.ROLLBACK + " and " + INCIDENT);
      }
      String value = header.path("value").asText();
      if (!headers.contains(value.equals(INCIDENT) ? null : value)) {
        problems.add(StepFailures.EXHAUSTED_HEADER + " defaults to " + value + ", which no shipped task of " + type + " uses");
      }
    }

    private static Set<String> errorCodes() {
      Set<String> codes = new TreeSet<>();
      for (Field field : BpmnErrors.class.getFields()) {
        try {
          codes.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
      return codes;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
      Set<String> union = new TreeSet<>(a);
      union.addAll(b);
      return union;
    }
  }

  // ------------------------------------------------------------------------------------------

  static JsonNode taskType(JsonNode template) {
    return property(template, "zeebe:taskDefinition", "property", "type");
  }

  static JsonNode property(JsonNode template, String bindingType, String key, String value) {
    for (JsonNode property : template.path("properties")) {
      if (property.at("/binding/type").asText().equals(bindingType) && property.at("/binding/" + key).asText().equals(value)) {
        return property;
      }
    }
    return null;
  }

  private static ObjectNode copy(String file) {
    assertThat(templates).containsKey(file);
    return templates.get(file).deepCopy();
  }

  private static ObjectNode input(ObjectNode template, String name) {
    return (ObjectNode) property(template, "zeebe:input", "name", name);
  }

  private static ObjectNode binding(ObjectNode property) {
    return (ObjectNode) property.get("binding");
  }
}
