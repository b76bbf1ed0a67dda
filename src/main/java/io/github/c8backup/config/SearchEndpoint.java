package io.github.c8backup.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Elasticsearch/OpenSearch cluster that holds the exported {@code zeebe-record*} indices and
 * the snapshot repository Camunda's components back up into.
 *
 * @param type {@code elasticsearch} or {@code opensearch}; null means detect it from {@code GET /}
 * @param snapshotRepository an already registered snapshot repository (the same one configured
 *     in Operate, Tasklist and Optimize)
 * @param recordsIndexPrefix the ES/OS exporter's index prefix
 * @param recordsExporter whether an ES/OS exporter writes {@code zeebe-record*} (8.8+: only then
 *     is the records snapshot taken; 8.6/8.7 always take it)
 */
public record SearchEndpoint(
    @NotNull URI url,
    SearchEngineType type,
    @NotBlank String snapshotRepository,
    @DefaultValue("zeebe-record") String recordsIndexPrefix,
    @DefaultValue("true") boolean recordsExporter,
    @Valid Credentials credentials) {

  public enum SearchEngineType {
    ELASTICSEARCH,
    OPENSEARCH
  }
}
