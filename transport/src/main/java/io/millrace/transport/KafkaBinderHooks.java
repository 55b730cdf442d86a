package io.millrace.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.cloud.stream.binder.BinderCustomizer;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;
import org.springframework.cloud.stream.binder.kafka.KafkaMessageChannelBinder;
import org.springframework.cloud.stream.config.ProducerMessageHandlerCustomizer;
import org.springframework.integration.kafka.outbound.KafkaProducerMessageHandler;

/**
 * Hooks into the Kafka binder, when it is the binder in use: a {@link DirectKafkaSender}
 * per output destination, optionally a callback per producer handler and a rebalance
 * listener.
 * <p>
 * Register {@link #customizer()} as a {@link BinderCustomizer} bean. With two binders on
 * the classpath (Kafka and Event Hubs) each binder lives in its own child context that
 * does not see the application's {@code ProducerMessageHandlerCustomizer} or
 * {@code KafkaBindingRebalanceListener} beans: such beans are silently ignored, and a
 * binder customizer is the way that works. With another binder in use, no direct sender
 * is registered and callers fall back to the binding.
 */
public final class KafkaBinderHooks {

	private final Map<String, DirectKafkaSender> senders = new ConcurrentHashMap<>();

	private final ProducerHook onProducer;

	private final KafkaBindingRebalanceListener rebalanceListener;

	/**
	 * @param onProducer called for each output binding's producer handler; may be
	 * {@code null}
	 * @param rebalanceListener set on the binder; may be {@code null}
	 */
	public KafkaBinderHooks(ProducerHook onProducer, KafkaBindingRebalanceListener rebalanceListener) {
		this.onProducer = onProducer;
		this.rebalanceListener = rebalanceListener;
	}

	/** Only direct senders. */
	public KafkaBinderHooks() {
		this(null, null);
	}

	public BinderCustomizer customizer() {
		return (binder, name) -> {
			if (binder instanceof KafkaMessageChannelBinder kafka) {
				ProducerMessageHandlerCustomizer<KafkaProducerMessageHandler<?, ?>> onCreate = (handler,
						destination) -> {
					DirectKafkaSender direct = DirectKafkaSender.of(handler, destination).orElse(null);
					if (direct != null) {
						this.senders.put(destination, direct);
					}
					if (this.onProducer != null) {
						this.onProducer.created(handler, destination, direct);
					}
				};
				kafka.setProducerMessageHandlerCustomizer(onCreate);
				if (this.rebalanceListener != null) {
					kafka.setRebalanceListener(this.rebalanceListener);
				}
			}
		};
	}

	/**
	 * @param destination an output binding's destination (topic)
	 * @return its direct sender, or {@code null} when records must go through the binding
	 * (another binder, a producer that does not write bytes, or the binding not created
	 * yet)
	 */
	public DirectKafkaSender senderFor(String destination) {
		return this.senders.get(destination);
	}

	/** Called when the Kafka binder creates an output binding's producer handler. */
	@FunctionalInterface
	public interface ProducerHook {

		/**
		 * @param handler the handler
		 * @param destination the binding's topic
		 * @param direct its direct sender, or {@code null} if the producer does not write
		 * bytes
		 */
		void created(KafkaProducerMessageHandler<?, ?> handler, String destination, DirectKafkaSender direct);

	}

}
