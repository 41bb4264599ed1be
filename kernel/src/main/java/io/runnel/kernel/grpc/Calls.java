package io.runnel.kernel.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Completes unary calls: one response, or the status {@link GrpcErrors} gives the failure. */
final class Calls {

    private Calls() {
    }

    static <T> void reply(StreamObserver<T> out, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.statusFor(e));
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }

    static <T> void complete(StreamObserver<T> out, CompletableFuture<T> call) {
        call.whenComplete((response, failure) -> {
            if (failure != null) {
                out.onError(GrpcErrors.statusFor(failure));
            } else {
                out.onNext(response);
                out.onCompleted();
            }
        });
    }
}
