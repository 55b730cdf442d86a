package io.millrace.serving.aggregates;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What serving-api keeps in memory.
 *
 * @param retention how much event time of each sensor's history is kept, counted back
 * from the end of its newest window
 */
@Validated
@ConfigurationProperties("millrace.serving")
public record ServingProperties(@NotNull @DefaultValue("24h") Duration retention) {

}
