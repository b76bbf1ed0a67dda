# The orchestrator image for docker-compose.yml. Build stage: JDK 21 and the Maven wrapper;
# run stage: JRE 21 only, as an unprivileged user.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
# Dependencies first, so that a source change does not download them again.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:resolve
COPY bpmn/ bpmn/
COPY src/ src/
# mdep.skip: the sandbox's OpenSearch/Elasticsearch/S3Proxy distributions (about 180 MB) are only
# for tests and would otherwise be fetched by the test-resources phase.
RUN ./mvnw -B -DskipTests -Dmdep.skip=true package \
 && cp target/camunda-backup-orchestrator-*.jar /src/app.jar

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --home-dir /app orchestrator
WORKDIR /app
COPY --from=build /src/app.jar /app/app.jar
USER 10001
# server.port in application.yaml
EXPOSE 8088
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
