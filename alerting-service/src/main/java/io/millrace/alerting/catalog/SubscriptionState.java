package io.millrace.alerting.catalog;

import java.time.Instant;

/**
 * The stored state of a subscription that configuration defines: configuration cannot say
 * that its receiver answered 410 Gone, so this document does, for every replica and
 * across restarts.
 *
 * @param disabledAt when it was disabled
 * @param disabledReason why
 */
public record SubscriptionState(Instant disabledAt, String disabledReason) {
}
