package io.runnel.kernel.grpc;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.Server;
import io.runnel.kernel.TestDaemon;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Two ways into a test daemon's control plane: in-process (the services themselves) and its real gRPC port. */
final class ControlPlaneClients implements AutoCloseable {

    private final Server inProcessServer;
    final ManagedChannel inProcess;
    final ManagedChannel socket;

    ControlPlaneClients(TestDaemon daemon) throws IOException {
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
        daemon.get(ControlPlane.class).servicesWithoutAuthentication().forEach(builder::addService);
        inProcessServer = builder.build().start();
        inProcess = InProcessChannelBuilder.forName(name).build();
        socket = NettyChannelBuilder.forAddress(daemon.grpcAddress()).usePlaintext().build();
    }

    @Override
    public void close() throws InterruptedException {
        inProcess.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        socket.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        inProcessServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
