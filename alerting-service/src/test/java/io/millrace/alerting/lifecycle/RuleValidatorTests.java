package io.millrace.alerting.lifecycle;

import java.time.Duration;
import java.util.List;

import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.Test;

import static io.millrace.alerting.lifecycle.Inputs.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RuleValidatorTests {

	@Test
	void rulesReadFromJsonWithTheirDefaults() {
		Rule rule = rule("{'id':'hot','kind':'threshold','metric':'temperature','statistic':'p95','operator':'>=',"
				+ "'threshold':80,'for':'PT5M','noData':{'after':'PT10M','state':'alerting'}}");
		assertThat(rule.forDuration()).isEqualTo(Duration.ofMinutes(5));
		assertThat(rule.keepFiringFor()).isZero();
		assertThat(rule.statistic()).isEqualTo(Statistic.P95);
		assertThat(rule.operator()).isEqualTo(Comparison.GE);
		assertThat(rule.noData().state()).isEqualTo(NoData.State.ALERTING);
		assertThat(rule.severity()).isEqualTo("warning");
		assertThat(rule.notifyResolved()).isTrue();
		assertThat(rule.selector()).isEqualTo(SensorSelector.all());
		assertThat(RuleValidator.validate(rule)).isEmpty();
		String json = new String(MillraceJson.bytes(rule));
		assertThat(json).contains("\"for\":\"PT5M\"", "\"kind\":\"threshold\"", "\"operator\":\">=\"",
				"\"statistic\":\"p95\"", "\"state\":\"alerting\"");
		assertThat(rule(json.replace('"', '\''))).isEqualTo(rule);
	}

	@Test
	void everyKindHasAValidExample() {
		assertThat(List.of("{'id':'a','kind':'instant','metric':'value','operator':'>','threshold':1}",
				"{'id':'b','kind':'rate-of-change','metric':'m','statistic':'avg','window':{'kind':'tumbling'},"
						+ "'operator':'>','threshold':1,'change':'percent'}",
				"{'id':'c','kind':'absence','after':'PT5M','selector':{'sensorIdPattern':'pump-*'}}",
				"{'id':'d','kind':'anomaly','metric':'m','statistic':'avg','window':{'kind':'hopping'},"
						+ "'lookback':20,'k':3,'minWindows':10}"))
			.allSatisfy((json) -> assertThat(RuleValidator.validate(rule(json))).isEmpty());
	}

	@Test
	void errorsNameTheirFields() {
		assertThat(fields("{'kind':'threshold','metric':'m','statistic':'max','operator':'>'}"))
			.containsExactlyInAnyOrder("/id", "/threshold");
		assertThat(fields("{'id':'x','metric':'m'}")).containsExactly("/kind");
		assertThat(fields("{'id':'x','kind':'threshold','operator':'>','threshold':1,'for':'-PT1M',"
				+ "'keepFiringFor':'-PT1S'}"))
			.containsExactlyInAnyOrder("/metric", "/statistic", "/for", "/keepFiringFor");
		assertThat(fields("{'id':'x','kind':'threshold','metric':'m','statistic':'max','operator':'>',"
				+ "'threshold':80,'resolveThreshold':90}"))
			.containsExactly("/resolveThreshold");
		assertThat(fields("{'id':'x','kind':'threshold','metric':'m','statistic':'max','operator':'<',"
				+ "'threshold':10,'resolveThreshold':5}"))
			.containsExactly("/resolveThreshold");
		assertThat(fields("{'id':'x','kind':'threshold','metric':'m','statistic':'max','operator':'==',"
				+ "'threshold':10,'resolveThreshold':10}"))
			.containsExactly("/resolveThreshold");
		assertThat(fields("{'id':'x','kind':'threshold','metric':'m','statistic':'max','operator':'>',"
				+ "'threshold':1,'noData':{'after':'PT0S'}}"))
			.containsExactlyInAnyOrder("/noData/after", "/noData/state");
		assertThat(fields(
				"{'id':'x','kind':'rate-of-change','metric':'m','statistic':'avg','operator':'>'," + "'threshold':1}"))
			.containsExactly("/window");
		assertThat(fields("{'id':'x','kind':'anomaly','metric':'m','statistic':'avg','window':{'size':'PT1M'},"
				+ "'lookback':1,'k':0,'threshold':3}"))
			.containsExactlyInAnyOrder("/window/kind", "/lookback", "/k", "/threshold");
		assertThat(fields("{'id':'x','kind':'anomaly','metric':'m','statistic':'avg','window':{'kind':'tumbling'},"
				+ "'lookback':5,'k':2,'minWindows':6}"))
			.containsExactly("/minWindows");
		assertThat(fields("{'id':'x','kind':'absence','for':'PT1M','statistic':'max','lookback':3}"))
			.containsExactlyInAnyOrder("/after", "/for", "/statistic", "/lookback");
		assertThat(fields("{'id':'x','kind':'instant','metric':'value','operator':'>','threshold':1,'after':'PT1M',"
				+ "'change':'absolute','selector':{'sensorIds':['a',''],'sensorIdPattern':' '},"
				+ "'labels':{'sensorId':'s','a/b':'c'},'annotations':{'summary':'{{sensor}} is {{value}}'}}"))
			.containsExactlyInAnyOrder("/after", "/change", "/selector/sensorIds/1", "/selector/sensorIdPattern",
					"/labels/sensorId", "/annotations/summary");
		assertThat(fields(
				"{'id':'a b','kind':'instant','metric':'value','operator':'>','threshold':1," + "'severity':' '}"))
			.containsExactlyInAnyOrder("/id", "/severity");
	}

	@Test
	void theEngineRefusesInvalidRulesAndDuplicateIds() {
		Rule bad = rule("{'id':'x','kind':'threshold'}");
		assertThatIllegalArgumentException().isThrownBy(() -> new AlertLifecycle(List.of(bad), SensorTags.none()))
			.withMessageContaining("/metric");
		Rule good = rule("{'id':'x','kind':'instant','metric':'value','operator':'>','threshold':1}");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AlertLifecycle(List.of(good, good), SensorTags.none()))
			.withMessageContaining("Two rules");
	}

	@Test
	void pointersEscapeSlashesAndTildes() {
		assertThat(RuleValidator.pointer("a/b~c")).isEqualTo("a~1b~0c");
	}

	private static List<String> fields(String json) {
		return RuleValidator.validate(rule(json)).stream().map(FieldError::field).toList();
	}

}
