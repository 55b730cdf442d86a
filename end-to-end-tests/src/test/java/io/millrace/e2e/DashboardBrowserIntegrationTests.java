package io.millrace.e2e;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.local.LocalHttp;
import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser (Debian's headless Chromium, driven through its
 * chromedriver) against the running platform: the page takes the launcher's key from its
 * fragment, a sensor's latest-value tile follows the readings posted to ingest, a firing
 * alert shows in the feed within a second of its webhook reaching the receiver (both
 * instants on this machine's clock: the receiver's arrival time, and the time the page
 * noted when it put the alert on screen), and the page is saved as
 * {@code target/dashboard.png}.
 * <p>
 * Runs after the other end-to-end classes ({@code junit-platform.properties}); its
 * readings are stamped in an event-time slot of their own
 * ({@link RunningPlatform#nextEventTimeSlot()}), after every window the other tests
 * closed.
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(RunningPlatform.Resolver.class)
class DashboardBrowserIntegrationTests {

	static final Path SCREENSHOT = Path.of("target", "dashboard.png");

	static final Path LATENCY_REPORT = Path.of("target", "dashboard-latency.txt");

	static final Duration ALERT_TO_SCREEN = Duration.ofSeconds(1);

	static RunningPlatform platform;

	static ChromeDriver browser;

	@BeforeAll
	static void openBrowser(RunningPlatform running) {
		platform = running;
		Path chromium = executable("millrace.e2e.chromium", "chromium", "chromium-browser", "google-chrome")
			.orElseGet(() -> fail("No Chromium to run the dashboard test with: install Debian's chromium and "
					+ "chromium-driver (apt-get install -y chromium chromium-driver; .ci/run does) or set "
					+ "-Dmillrace.e2e.chromium=<browser> and -Dwebdriver.chrome.driver=<chromedriver>"));
		Path driver = executable("webdriver.chrome.driver", "chromedriver")
			.orElseGet(() -> fail("Chromium is installed but chromedriver is not: apt-get install -y chromium-driver"));
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		// The page's console, for the report of a failed run.
		options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-dev-shm-usage", "--window-size=1600,1200", "--force-device-scale-factor=1");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
			.withLogFile(RunningPlatform.LOGS.resolve("chromedriver.log").toFile())
			.build();
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
	}

	@AfterEach
	void keepWhatThePageSaid(TestInfo test) throws IOException {
		// What a failure needs to be understood: what the page looked like and logged.
		String name = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
		Files.createDirectories(RunningPlatform.LOGS);
		Files.write(RunningPlatform.LOGS.resolve("dashboard-" + name + ".png"),
				browser.getScreenshotAs(OutputType.BYTES));
		StringBuilder console = new StringBuilder();
		browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.forEach((entry) -> console.append(entry).append(System.lineSeparator()));
		Files.writeString(RunningPlatform.LOGS.resolve("dashboard-" + name + "-console.log"), console);
	}

	@AfterAll
	static void closeBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void liveValuesAndAFiringAlertReachTheScreen() throws Exception {
		String sensor = "e2e-dashboard-" + UUID.randomUUID().toString().substring(0, 8);
		// Event time of its own, after any window the other tests closed: three windows,
		// each closed by a reading in the next.
		Instant base = platform.nextEventTimeSlot();

		String dashboard = platform.service("serving-api").apiUrl() + "/?sensor=" + sensor;
		browser.get(dashboard + "#key=" + platform.apiKey);
		await("the page's live streams").atMost(Duration.ofSeconds(30))
			.until(() -> "live".equals(connection().getDomAttribute("data-state")));
		assertThat(browser.getTitle()).isEqualTo("Millrace live dashboard");
		assertThat(browser.findElement(By.id("key-dialog")).isDisplayed()).as("the key came from the fragment")
			.isFalse();
		assertThat(browser.getCurrentUrl()).as("the key leaves the address bar").doesNotContain("key=");
		assertThat(tileValue(sensor)).as("no window yet").isEmpty();

		// Window 1 (breaching: max 95), closed by the first reading of window 2.
		post(event(sensor, base.plusSeconds(5), 61) + "," + event(sensor, base.plusSeconds(20), 95));
		post(event(sensor, base.plusSeconds(65), 43));
		await("the tile shows window 1's last reading").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> tileValue(sensor), (value) -> value.equals(Optional.of("95")));

		// The alert of window 1: when the receiver got it, and when the page showed it.
		RunningPlatform.Delivery webhook = await("the firing alert's webhook").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> delivery(sensor, "firing"), Optional::isPresent)
			.orElseThrow();
		ShownAlert firing = await("the firing alert in the feed").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> alertItem(sensor, "firing"), Optional::isPresent)
			.orElseThrow();
		Duration firingLatency = Duration.between(webhook.receivedAt(), firing.shownAt());
		assertThat(firing.text()).contains("high-temperature").contains(sensor).containsIgnoringCase("firing");

		// Window 2 (43, below the threshold), closed by a reading of window 3: the tile
		// moves on and the alert resolves.
		post(event(sensor, base.plusSeconds(125), 44));
		await("the tile shows window 2's reading").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> tileValue(sensor), (value) -> value.equals(Optional.of("43")));
		RunningPlatform.Delivery resolvedWebhook = await("the resolved alert's webhook").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> delivery(sensor, "resolved"), Optional::isPresent)
			.orElseThrow();
		ShownAlert resolved = await("the resolved alert in the feed").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> alertItem(sensor, "resolved"), Optional::isPresent)
			.orElseThrow();
		Duration resolvedLatency = Duration.between(resolvedWebhook.receivedAt(), resolved.shownAt());

		// The chart of the metric has the sensor's line, and the vital signs are read.
		assertThat(browser.findElements(By.cssSelector("figure.chart[data-metric='temperature'] canvas"))).isNotEmpty();
		await("the ingest rate").atMost(Duration.ofSeconds(30))
			.until(() -> "ok".equals(browser.findElement(By.cssSelector(".vital[data-vital='ingestRate']"))
				.getDomAttribute("data-state")));
		await("the top-N table").atMost(Duration.ofSeconds(30))
			.until(() -> !browser.findElements(By.cssSelector("#top tr")).isEmpty());

		Files.createDirectories(SCREENSHOT.getParent());
		Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
		String report = String
			.format("alert-to-screen latency (page shown-at minus webhook received-at, same clock): firing %d ms, "
					+ "resolved %d ms%n", firingLatency.toMillis(), resolvedLatency.toMillis());
		Files.writeString(LATENCY_REPORT, report);
		System.out.print(report);
		assertThat(firingLatency).as("a firing alert on screen within a second of its webhook")
			.isLessThanOrEqualTo(ALERT_TO_SCREEN);
	}

	@Test
	void theKeyboardReachesEveryControlWithAVisibleFocus() {
		browser.get(platform.service("serving-api").apiUrl() + "/#key=" + platform.apiKey);
		await().atMost(Duration.ofSeconds(30)).until(() -> "live".equals(connection().getDomAttribute("data-state")));
		new Actions(browser).sendKeys(Keys.TAB).perform();
		WebElement skip = browser.switchTo().activeElement();
		assertThat(skip.getText()).isEqualTo("Skip to the dashboard");
		assertThat(skip.getCssValue("outline-style")).isEqualTo("solid");
		for (int i = 0; i < 4; i++) {
			new Actions(browser).sendKeys(Keys.TAB).perform();
		}
		WebElement focused = browser.switchTo().activeElement();
		assertThat(focused.getTagName()).isIn("a", "button", "input", "select");
		assertThat(focused.getCssValue("outline-style")).isEqualTo("solid");
		assertThat(browser.findElement(By.id("alerts")).getDomAttribute("aria-live")).isEqualTo("polite");
	}

	private static WebElement connection() {
		return browser.findElement(By.id("connection"));
	}

	/** The text of the sensor's temperature tile, empty while it has none. */
	private static Optional<String> tileValue(String sensor) {
		// Read in the page in one go: the page may replace the element between two calls.
		return Optional.ofNullable((String) browser.executeScript("""
				const tile = [...document.querySelectorAll('.tile.reading[data-metric="temperature"]')]
					.find((node) => node.dataset.sensor === arguments[0]);
				return tile ? tile.querySelector('.value').textContent : null;
				""", sensor));
	}

	/**
	 * The sensor's alert in the feed with that status: its text and when the page put it
	 * on screen (the page's clock, this machine's).
	 */
	private static Optional<ShownAlert> alertItem(String sensor, String status) {
		@SuppressWarnings("unchecked")
		Map<String, Object> item = (Map<String, Object>) browser.executeScript("""
				const item = [...document.querySelectorAll('#alerts li.alert')]
					.find((node) => node.dataset.sensor === arguments[0] && node.dataset.status === arguments[1]);
				return item ? { text: item.innerText, shownAt: item.dataset.shownAt } : null;
				""", sensor, status);
		return Optional.ofNullable(item)
			.map((found) -> new ShownAlert((String) found.get("text"),
					Instant.ofEpochMilli(Long.parseLong((String) found.get("shownAt")))));
	}

	private record ShownAlert(String text, Instant shownAt) {
	}

	private static Optional<RunningPlatform.Delivery> delivery(String sensor, String status) {
		return platform.deliveries.stream().filter((delivery) -> {
			try {
				JsonNode alert = MillraceJson.mapper().readTree(delivery.body());
				return sensor.equals(alert.path("sensorId").asText()) && status.equals(alert.path("status").asText());
			}
			catch (IOException ex) {
				return false;
			}
		}).findFirst();
	}

	private static void post(String events) {
		HttpResponse<String> accepted = LocalHttp.post(platform.service("ingest-service").apiUrl() + "/api/v1/events",
				"application/json", "[" + events + "]", Map.of("X-API-Key", platform.apiKey));
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
	}

	private static String event(String sensor, Instant timestamp, double temperature) {
		return "{\"sensorId\": \"" + sensor + "\", \"timestamp\": \"" + timestamp
				+ "\", \"measurements\": {\"temperature\": " + temperature + "}}";
	}

	/**
	 * @param property a system property that names the file, checked first
	 * @param names executable names looked up on the PATH
	 * @return the first that exists
	 */
	private static Optional<Path> executable(String property, String... names) {
		String configured = System.getProperty(property);
		if (configured != null && !configured.isBlank()) {
			return Optional.of(Path.of(configured)).filter(Files::isExecutable);
		}
		String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
		return Stream.of(names)
			.flatMap((name) -> Stream.of(path.split(File.pathSeparator)).map((dir) -> Path.of(dir, name)))
			.filter(Files::isExecutable)
			.findFirst();
	}

}
