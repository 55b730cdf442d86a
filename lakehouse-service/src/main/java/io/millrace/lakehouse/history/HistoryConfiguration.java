package io.millrace.lakehouse.history;

import io.delta.kernel.engine.Engine;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.gold.GoldTable;
import io.millrace.lakehouse.storage.TableStorage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Gold history read API. */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

	@Bean
	GoldHistory goldHistory(Engine engine, TableStorage storage, GoldTable gold) {
		return new GoldHistory(new DeltaTableReader(engine, storage, gold.definition()));
	}

}
