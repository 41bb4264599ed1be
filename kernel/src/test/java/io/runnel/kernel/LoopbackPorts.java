package io.runnel.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for test servers on loopback addresses, such as 127.0.0.2 where a test domain's MX host lives. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A port free on {@code address} now; the server that binds it next could still lose a race, as with any probe. */
    public static int free(String address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return probe.getLocalPort();
        }
    }
}
