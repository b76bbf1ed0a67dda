package io.github.c8backup.testing;

import io.camunda.client.annotation.JobWorker;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.github.c8backup.backup.JobTypes;
import io.github.c8backup.restore.RestoreJobTypes;
import io.github.c8backup.retention.RetentionJobTypes;
import io.github.c8backup.run.RunJobTypes;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Component;

/**
 * What the consistency tests compare: the job type constants, the {@code @JobWorker} methods found
 * on the main classes, and the processes in {@code bpmn/}. Shared so that the BPMN check and the
 * element template check look at the same lists.
 */
public final class JobWorkerScan {

  /** Every class that holds job type constants; a new one must be added here. */
  public static final List<Class<?>> JOB_TYPE_HOLDERS =
      List.of(JobTypes.class, RestoreJobTypes.class, RunJobTypes.class, RetentionJobTypes.class);

  private JobWorkerScan() {}

  public static Set<String> jobTypeConstants() throws IllegalAccessException {
    Set<String> constants = new TreeSet<>();
    for (Class<?> holder : JOB_TYPE_HOLDERS) {
      for (Field field : holder.getFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          constants.add((String) field.get(null));
        }
      }
    }
    return constants;
  }

  /** The {@code @JobWorker} methods of the Spring components, by job type. */
  public static Map<String, List<Method>> workersByType() throws ClassNotFoundException {
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(Component.class));
    Map<String, List<Method>> workers = new TreeMap<>();
    for (BeanDefinition bean : scanner.findCandidateComponents("io.github.c8backup")) {
      Class<?> type = Class.forName(bean.getBeanClassName());
      for (Method method : type.getDeclaredMethods()) {
        JobWorker worker = method.getAnnotation(JobWorker.class);
        if (worker != null) {
          workers.computeIfAbsent(worker.type(), k -> new ArrayList<>()).add(method);
        }
      }
    }
    return workers;
  }

  public static List<BpmnModelInstance> bpmnModels() throws IOException {
    List<BpmnModelInstance> models = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("bpmn"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".bpmn")).sorted().toList()) {
        models.add(Bpmn.readModelFromFile(file.toFile()));
      }
    }
    return models;
  }
}
