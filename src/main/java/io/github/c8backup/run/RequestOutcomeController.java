package io.github.c8backup.run;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/requests/{requestId}}: what became of a published request, as far as this orchestrator saw it. */
@RestController
class RequestOutcomeController {

  private final RequestOutcomes outcomes;

  RequestOutcomeController(RequestOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  @GetMapping("/api/requests/{requestId}")
  ResponseEntity<?> outcome(@PathVariable String requestId) {
    return outcomes.find(requestId)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("requestId", requestId, "message",
            "No outcome seen for request " + requestId + " yet: its run may still be in progress (camunda-cluster-run in"
                + " Operate), or another orchestrator replica handled it")));
  }
}
