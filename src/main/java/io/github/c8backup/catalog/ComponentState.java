package io.github.c8backup.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one component reports about one backup ID, as the catalog shows it.
 *
 * @param component {@code zeebe}, {@code operate}, {@code tasklist}, {@code webapps},
 *     {@code optimize} or {@code records-snapshot}
 * @param state the component's own state word ({@code COMPLETED}, {@code IN_PROGRESS},
 *     {@code FAILED}, {@code DOES_NOT_EXIST}, … for the records snapshot the search engine's
 *     {@code SUCCESS}, …), or {@link #UNREACHABLE} / {@link #ERROR} when it did not give one
 * @param partitions Zeebe only: each partition's state
 * @param problems why this component's part cannot be restored from; empty when it can
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComponentState(String component, String state, List<PartitionState> partitions, List<String> problems) {

  /** No answer: connection refused, timeout, 502/503/504. */
  public static final String UNREACHABLE = "UNREACHABLE";
  /** An answer that says nothing about the backup: 4xx/500, or a body we cannot read. */
  public static final String ERROR = "ERROR";

  public record PartitionState(int partitionId, String state) {}
}
