package io.runnel.sdk.ctl;

import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.runnel.sdk.client.RunnelClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code runnelctl health}: the standard gRPC health check, for probes; exit 0 only when SERVING. */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = "Ask the daemon's gRPC health service (grpc.health.v1); exit 0 when SERVING, 1 otherwise, 3 when unreachable.")
final class HealthCommand extends ClientCommand {

  @Parameters(paramLabel = "SERVICE", arity = "0..1", defaultValue = "",
      description = "A service, e.g. runnel.v1.QueueService (default: the server as a whole).")
  String service;

  @Override
  int run(RunnelClient client, Output out) {
    ServingStatus status = client.health(service);
    if (out.json()) {
      out.document(HealthCheckResponse.newBuilder().setStatus(status));
    } else {
      out.line(status.name());
    }
    return status == ServingStatus.SERVING ? ExitCodes.OK : ExitCodes.ERROR;
  }
}
