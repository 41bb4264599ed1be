package io.runnel.kernel.grpc;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The control plane's services as one list, each behind caller authentication except health (which tells nothing
 * and load balancers probe without credentials). The gRPC server serves them; tests serve them in-process.
 */
public final class ControlPlane {

    private final QueueGrpcService queue;
    private final InjectionGrpcService injection;
    private final AdminGrpcService admin;
    private final HealthStatusManager health = new HealthStatusManager();

    @Inject
    ControlPlane(QueueGrpcService queue, InjectionGrpcService injection, AdminGrpcService admin) {
        this.queue = queue;
        this.injection = injection;
        this.admin = admin;
    }

    /** The service definitions, with {@code authentication} in front. */
    List<ServerServiceDefinition> services(CallerAuthentication authentication) {
        return List.of(
                ServerInterceptors.intercept(queue, authentication),
                ServerInterceptors.intercept(injection, authentication),
                ServerInterceptors.intercept(admin, authentication),
                ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), authentication),
                health.getHealthService().bindService());
    }

    /** Every call passes: for in-process tests. */
    public List<ServerServiceDefinition> servicesWithoutAuthentication() {
        return services(CallerAuthentication.open());
    }

    /** Health answers NOT_SERVING from now on (shutdown). */
    void notServing() {
        health.enterTerminalState();
    }
}
