package io.github.c8backup.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.c8backup.cluster.ComponentRequestRejectedException;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.RecordingHttpServer;
import io.github.c8backup.config.Credentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonHttpTest {

  private static final String PASSWORD = "s3cr3t-Pa55";

  private final RecordingHttpServer server = RecordingHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void basicAuthHeaderIsSent() {
    // given
    server.respond("GET", "/ping", 200, "{}");
    JsonHttp http = JsonHttp.create("zeebe", Duration.ofSeconds(1), Duration.ofSeconds(2), new Credentials("admin", PASSWORD));

    // when
    http.get(server.url().resolve("/ping"));

    // then
    String expected = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertThat(server.lastRequest().header("Authorization")).isEqualTo(expected);
  }

  @Test
  void noAuthorizationHeaderWithoutCredentials() {
    // given
    server.respond("GET", "/ping", 200, "{}");
    JsonHttp http = JsonHttp.create("zeebe", Duration.ofSeconds(1), Duration.ofSeconds(2), null);

    // when
    http.get(server.url().resolve("/ping"));

    // then
    assertThat(server.lastRequest().header("Authorization")).isNull();
  }

  @Test
  void jsonBodyIsSentWithContentType() {
    // given
    server.respond("POST", "/actuator/backups", 202, "{\"message\":\"scheduled\"}");
    JsonHttp http = JsonHttp.create("zeebe", Duration.ofSeconds(1), Duration.ofSeconds(2), null);

    // when
    JsonHttp.Response response = http.post(server.url().resolve("/actuator/backups"), Map.of("backupId", 7L));

    // then
    assertThat(response.status()).isEqualTo(202);
    assertThat(server.lastRequest().body()).isEqualTo("{\"backupId\":7}");
    assertThat(server.lastRequest().header("Content-Type")).startsWith("application/json");
  }

  @Test
  void connectionRefusedIsComponentUnavailable() {
    // given
    URI nothingListens = URI.create("http://127.0.0.1:" + RecordingHttpServer.closedPort() + "/actuator/backups");
    JsonHttp http = JsonHttp.create("operate", Duration.ofSeconds(1), Duration.ofSeconds(2), new Credentials("admin", PASSWORD));

    // when
    ComponentUnavailableException e =
        catchThrowableOfType(ComponentUnavailableException.class, () -> http.get(nothingListens));

    // then
    assertThat(e.component()).isEqualTo("operate");
    assertThat(e.httpStatus()).isZero();
    assertThat(e.getMessage())
        .contains("operate did not answer GET " + nothingListens)
        .contains("ConnectException")
        .contains("Check that operate is running and reachable")
        .doesNotContain(PASSWORD);
  }

  @Test
  void readTimeoutIsComponentUnavailable() {
    // given
    server.respond("GET", "/slow", 200, "{}", Duration.ofSeconds(3));
    JsonHttp http = JsonHttp.create("optimize", Duration.ofSeconds(1), Duration.ofMillis(300), null);

    // when
    ComponentUnavailableException e =
        catchThrowableOfType(ComponentUnavailableException.class, () -> http.get(server.url().resolve("/slow")));

    // then
    assertThat(e.httpStatus()).isZero();
    assertThat(e.getMessage()).contains("optimize did not answer GET").contains("request timeout PT0.3S");
  }

  @Test
  void status503IsComponentUnavailableWithStatus() {
    // given
    server.respond("GET", "/x", 503, "{\"message\":\"RESOURCE_EXHAUSTED\"}");
    JsonHttp http = JsonHttp.create("zeebe", Duration.ofSeconds(1), Duration.ofSeconds(2), null);
    JsonHttp.Response response = http.get(server.url().resolve("/x"));

    // when
    RuntimeException e = http.failure(response, "the brokers");

    // then
    assertThat(e).isInstanceOf(ComponentUnavailableException.class);
    assertThat(((ComponentUnavailableException) e).httpStatus()).isEqualTo(503);
    assertThat(e.getMessage()).contains("HTTP 503", "GET " + server.url() + "/x", "RESOURCE_EXHAUSTED", "Check the brokers");
  }

  @Test
  void status500IsRejectedWithShortExcerpt() {
    // given
    String longMessage = "x".repeat(1000);
    server.respond("GET", "/x", 500, "{\"message\":\"" + longMessage + "\"}");
    JsonHttp http = JsonHttp.create("zeebe", Duration.ofSeconds(1), Duration.ofSeconds(2), null);
    JsonHttp.Response response = http.get(server.url().resolve("/x"));

    // when
    RuntimeException e = http.failure(response, "the logs");

    // then
    assertThat(e).isInstanceOf(ComponentRequestRejectedException.class);
    ComponentRequestRejectedException rejected = (ComponentRequestRejectedException) e;
    assertThat(rejected.httpStatus()).isEqualTo(500);
    assertThat(rejected.bodyExcerpt()).hasSize(JsonHttp.EXCERPT_LENGTH + 3).startsWith("xxx").endsWith("...");
  }

  @Test
  void excerptReadsOptimizeAndSearchErrorBodies() {
    // given
    String optimize = "{\"errorCode\":\"badRequestError\",\"errorMessage\":\"Cannot execute backup request because no Elasticsearch snapshot repository name found in Optimize configuration.\",\"detailedMessage\":null}";
    String search = "{\"error\":{\"root_cause\":[],\"type\":\"repository_missing_exception\",\"reason\":\"[backups] missing\"},\"status\":404}";

    // when / then
    assertThat(JsonHttp.excerpt(optimize)).startsWith("Cannot execute backup request because no Elasticsearch snapshot repository");
    assertThat(JsonHttp.excerpt(search)).isEqualTo("repository_missing_exception: [backups] missing");
  }

  @Test
  void userInfoInConfiguredUrlNeverReachesMessages() {
    // given
    URI withUserInfo = URI.create("http://admin:" + PASSWORD + "@127.0.0.1:" + RecordingHttpServer.closedPort() + "/actuator/backups");
    JsonHttp http = JsonHttp.create("zeebe", Duration.ofSeconds(1), Duration.ofSeconds(2), null);

    // when
    ComponentUnavailableException e =
        catchThrowableOfType(ComponentUnavailableException.class, () -> http.get(withUserInfo));

    // then
    assertThat(e.getMessage()).contains("/actuator/backups").doesNotContain(PASSWORD);
  }
}
