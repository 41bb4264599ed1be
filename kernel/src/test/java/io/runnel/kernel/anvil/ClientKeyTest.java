package io.runnel.kernel.anvil;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientKeyTest {

    @Test
    void ipv4AddressesAreCountedOneByOne() throws Exception {
        ClientKey a = ClientKey.of(InetAddress.getByName("192.0.2.1"), 64);
        assertThat(a).isNotEqualTo(ClientKey.of(InetAddress.getByName("192.0.2.2"), 64));
        assertThat(a.toString()).isEqualTo("192.0.2.1");
    }

    @Test
    void ipv6AddressesAreGroupedByTheirPrefix() throws Exception {
        ClientKey a = ClientKey.of(InetAddress.getByName("2001:db8:1:2:aaaa::1"), 64);
        ClientKey sameNetwork = ClientKey.of(InetAddress.getByName("2001:db8:1:2:bbbb::9"), 64);
        ClientKey otherNetwork = ClientKey.of(InetAddress.getByName("2001:db8:1:3::1"), 64);
        assertThat(a).isEqualTo(sameNetwork).isNotEqualTo(otherNetwork);
        assertThat(a.toString()).isEqualTo("2001:db8:1:2:0:0:0:0");
    }

    @Test
    void prefixesAboveAndBelow64BitsCutWhereTheySay() throws Exception {
        assertThat(ClientKey.of(InetAddress.getByName("2001:db8::1:1"), 112))
                .isEqualTo(ClientKey.of(InetAddress.getByName("2001:db8::1:ffff"), 112))
                .isNotEqualTo(ClientKey.of(InetAddress.getByName("2001:db8::2:1"), 112));
        assertThat(ClientKey.of(InetAddress.getByName("2001:db8:ff::1"), 32))
                .isEqualTo(ClientKey.of(InetAddress.getByName("2001:db8:1::1"), 32));
        assertThat(ClientKey.of(InetAddress.getByName("2001:db8::1"), 128))
                .isNotEqualTo(ClientKey.of(InetAddress.getByName("2001:db8::2"), 128));
    }

    @Test
    void anIpv4KeyNeverEqualsAnIpv6One() throws Exception {
        assertThat(ClientKey.of(InetAddress.getByName("0.0.0.1"), 128)).isNotEqualTo(ClientKey.of(InetAddress.getByName("::1"), 128));
    }
}
