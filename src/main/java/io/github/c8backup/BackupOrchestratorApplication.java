package io.github.c8backup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BackupOrchestratorApplication {

  public static void main(String[] args) {
    SpringApplication.run(BackupOrchestratorApplication.class, args);
  }
}
