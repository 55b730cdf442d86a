package io.millrace.alerting.delivery.target;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import io.millrace.alerting.delivery.target.TargetRefusedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The SSRF guard with a resolver the test controls: nothing here looks a name up or
 * connects anywhere.
 */
class DeliveryTargetGuardTests {

	private static final Map<String, String> DNS = Map.of("hooks.example.com", "93.184.216.34", "localhost",
			"127.0.0.1", "internal.example.com", "10.0.0.1", "rebind.example.com", "93.184.216.34,10.0.0.1",
			"v6.example.com", "2606:4700::6810:84e5", "mapped.example.com", "::ffff:169.254.169.254", "ula.example.com",
			"fd12:3456::1", "wireserver.example.com", "168.63.129.16");

	private final Resolver resolver = (host) -> {
		String addresses = DNS.get(host);
		if (addresses == null) {
			// An IP literal "resolves" to itself, as InetAddress does it, without a
			// lookup.
			if (host.matches("[0-9.]+") || host.contains(":")) {
				return List.of(InetAddress.getByName(host));
			}
			throw new UnknownHostException(host);
		}
		return java.util.Arrays.stream(addresses.split(",")).map(DeliveryTargetGuardTests::literal).toList();
	};

	private final DeliveryTargetGuard localGuard = new DeliveryTargetGuard(new TargetPolicy(true, List.of()),
			this.resolver);

	@Test
	void aPublicHttpsHostPassesWithTheAddressItWasCheckedAt() throws Exception {
		GuardedTarget target = new DeliveryTargetGuard(TargetPolicy.STRICT, this.resolver)
			.check(URI.create("https://hooks.example.com/alerts"));
		assertThat(target.address().getHostAddress()).isEqualTo("93.184.216.34");
		assertThat(target.port()).isEqualTo(443);
	}

	@Test
	void theCloudMetadataServiceIsRefused() {
		assertRefused("http://169.254.169.254/", Reason.FORBIDDEN_ADDRESS, "cloud instance metadata");
	}

	@Test
	void localhostIsRefused() {
		assertRefused("http://localhost/", Reason.FORBIDDEN_ADDRESS, "resolves to 127.0.0.1, a loopback address");
	}

	@Test
	void aNameResolvingToAPrivateAddressIsRefused() {
		assertRefused("http://internal.example.com/hook", Reason.FORBIDDEN_ADDRESS,
				"internal.example.com resolves to 10.0.0.1, a private address");
	}

	@Test
	void aNameWithOnePrivateAddressAmongPublicOnesIsRefused() {
		assertRefused("http://rebind.example.com/", Reason.FORBIDDEN_ADDRESS, "10.0.0.1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.1.2.3/", "http://0.0.0.0/", "http://172.20.0.5/", "http://192.168.1.1/",
			"http://100.64.0.1/", "http://224.0.0.1/", "http://[::1]/", "http://[::]/", "http://[fe80::1]/",
			"http://ula.example.com/", "http://[fd00:ec2::254]/", "http://mapped.example.com/",
			"http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://[2002:a00:1::]/",
			"http://wireserver.example.com/" })
	void internalAddressesInEveryFormAreRefused(String url) {
		assertRefused(url, Reason.FORBIDDEN_ADDRESS, "resolves to");
	}

	@Test
	void theAzureWireserverAndMappedMetadataAreNamed() {
		assertRefused("http://wireserver.example.com/", Reason.FORBIDDEN_ADDRESS, "Azure platform wireserver");
		assertRefused("http://mapped.example.com/", Reason.FORBIDDEN_ADDRESS, "cloud instance metadata");
	}

	@Test
	void httpIsRefusedUnlessConfigured() {
		DeliveryTargetGuard strict = new DeliveryTargetGuard(TargetPolicy.STRICT, this.resolver);
		assertThatExceptionOfType(TargetRefusedException.class)
			.isThrownBy(() -> strict.check(URI.create("http://hooks.example.com/")))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.SCHEME_NOT_ALLOWED))
			.withMessageContaining("only https");
		assertRefused("ftp://hooks.example.com/", Reason.SCHEME_NOT_ALLOWED, "not https");
		assertRefused("file:///etc/passwd", Reason.SCHEME_NOT_ALLOWED, "not https");
	}

	@Test
	void unresolvableHostsAndUserInfoAreRefused() {
		assertRefused("https://nowhere.invalid/", Reason.UNRESOLVABLE, "does not resolve");
		assertRefused("https://user:pw@hooks.example.com/", Reason.INVALID_URL, "user info");
	}

	@Test
	void theAllowListLetsNamedAddressesAndHostsThrough() throws Exception {
		DeliveryTargetGuard guard = new DeliveryTargetGuard(
				new TargetPolicy(true, List.of("127.0.0.1", "10.0.0.0/8", "ula.example.com")), this.resolver);
		assertThat(guard.check(URI.create("http://127.0.0.1:8080/")).address().getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(guard.check(URI.create("http://internal.example.com/")).address().getHostAddress())
			.isEqualTo("10.0.0.1");
		assertThat(guard.check(URI.create("http://ula.example.com/")).address()).isInstanceOf(Inet6Address.class);
		// Naming 127.0.0.1 allows that address, not the rest of loopback or metadata.
		assertThatExceptionOfType(TargetRefusedException.class)
			.isThrownBy(() -> guard.check(URI.create("http://127.0.0.2/")));
		assertThatExceptionOfType(TargetRefusedException.class)
			.isThrownBy(() -> guard.check(URI.create("http://169.254.169.254/")));
	}

	@Test
	void aPublicIpv6HostPasses() throws Exception {
		assertThat(this.localGuard.check(URI.create("http://v6.example.com/")).address())
			.isInstanceOf(Inet6Address.class);
	}

	private void assertRefused(String url, Reason reason, String message) {
		assertThatExceptionOfType(TargetRefusedException.class).isThrownBy(() -> this.localGuard.check(URI.create(url)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason))
			.withMessageContaining(message);
	}

	/**
	 * IPv4-mapped literals stay IPv6, as a hostile DNS answer (AAAA) would deliver them.
	 */
	private static InetAddress literal(String text) {
		try {
			InetAddress parsed = InetAddress.getByName(text);
			if (text.startsWith("::ffff:")) {
				byte[] mapped = new byte[16];
				mapped[10] = (byte) 0xff;
				mapped[11] = (byte) 0xff;
				System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
				return Inet6Address.getByAddress(null, mapped, -1);
			}
			return parsed;
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
