package io.millrace.processing.pipeline;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How processing-service windows the stream.
 *
 * @param windowSize length of the tumbling windows
 * @param maxOutOfOrderness how far an event may trail the newest event time seen and
 * still count in its window; the watermark is the newest event time minus this
 */
@Validated
@ConfigurationProperties("millrace.processing")
public record ProcessingProperties(@NotNull @DefaultValue("1m") Duration windowSize,
		@NotNull @DefaultValue("5s") Duration maxOutOfOrderness) {

}
