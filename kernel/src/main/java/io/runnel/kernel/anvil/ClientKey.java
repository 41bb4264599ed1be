package io.runnel.kernel.anvil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who a per-client limit counts: an IPv4 address, or the IPv6 network around an address (one host usually holds a
 * whole /64, so counting single IPv6 addresses would let it open unlimited sessions). Two longs: no byte array per key.
 */
public record ClientKey(long high, long low, boolean v6) {

    /** The key of {@code address}, IPv6 addresses cut to their first {@code ipv6Prefix} bits. */
    public static ClientKey of(InetAddress address, int ipv6Prefix) {
        byte[] bytes = address.getAddress();
        if (!(address instanceof Inet6Address)) {
            return new ClientKey(0, toLong(bytes, 0, 4), false);
        }
        long high = toLong(bytes, 0, 8);
        long low = toLong(bytes, 8, 8);
        if (ipv6Prefix <= 64) {
            high = ipv6Prefix == 0 ? 0 : high & (-1L << (64 - ipv6Prefix));
            low = 0;
        } else if (ipv6Prefix < 128) {
            low &= -1L << (128 - ipv6Prefix);
        }
        return new ClientKey(high, low, true);
    }

    private static long toLong(byte[] bytes, int from, int length) {
        long value = 0;
        for (int i = from; i < from + length; i++) {
            value = value << 8 | (bytes[i] & 0xFF);
        }
        return value;
    }

    /** The address (or network start) this key stands for, for replies and logs. */
    @Override
    public String toString() {
        byte[] bytes = new byte[v6 ? 16 : 4];
        if (v6) {
            put(bytes, 0, high, 8);
            put(bytes, 8, low, 8);
        } else {
            put(bytes, 0, low, 4);
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(byte[] bytes, int from, long value, int length) {
        for (int i = from + length - 1; i >= from; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
    }
}
