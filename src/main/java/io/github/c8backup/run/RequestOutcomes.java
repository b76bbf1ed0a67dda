package io.github.c8backup.run;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What this orchestrator saw become of the requests it published, by request ID, so that a caller
 * (the command line's {@code --wait}) learns at once that its request was skipped or how its run
 * ended, instead of waiting for a backup that will never come. It is a cache of what the control
 * engine decided, filled by the workers that see it (a skipped request, the end of a run); the
 * engine and Operate keep the record. Bounded: the oldest entries are forgotten. With several
 * orchestrator replicas the job may go to another replica, and a request stays unknown here.
 */
@Component
public class RequestOutcomes {

  static final int CAPACITY = 1000;

  /** {@code state}: SKIPPED (a run of the cluster was in progress) or ENDED (the run's outcome). */
  public record Outcome(String requestId, String state, long runInstanceKey, String outcome, String failureReason, Instant at) {}

  private final Map<String, Outcome> outcomes = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
      return size() > CAPACITY;
    }
  };

  synchronized void skipped(String requestId, long runningInstanceKey, String runningOperation) {
    if (requestId != null) {
      outcomes.put(requestId, new Outcome(requestId, "SKIPPED", runningInstanceKey, null,
          "a " + runningOperation + " run of this cluster was in progress (instance " + runningInstanceKey + ")", Instant.now()));
    }
  }

  public synchronized void ended(String requestId, long runInstanceKey, String outcome, String failureReason) {
    if (requestId != null) {
      outcomes.put(requestId, new Outcome(requestId, "ENDED", runInstanceKey, outcome, failureReason, Instant.now()));
    }
  }

  public synchronized Optional<Outcome> find(String requestId) {
    return Optional.ofNullable(outcomes.get(requestId));
  }
}
