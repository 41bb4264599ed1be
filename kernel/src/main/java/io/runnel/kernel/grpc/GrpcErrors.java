package io.runnel.kernel.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.ingest.ReceptionRefused;
import io.runnel.kernel.spool.SpoolException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place kernel failures become gRPC statuses. Callers get the status code and a short text, never a stack
 * trace or a file path from inside the daemon.
 */
final class GrpcErrors {

    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException invalid(String what) {
        return Status.INVALID_ARGUMENT.withDescription(what).asRuntimeException();
    }

    static StatusRuntimeException notFound(String what) {
        return Status.NOT_FOUND.withDescription(what).asRuntimeException();
    }

    static StatusRuntimeException precondition(String what) {
        return Status.FAILED_PRECONDITION.withDescription(what).asRuntimeException();
    }

    /** The status for {@code failure}, thrown by a kernel call. */
    static StatusRuntimeException statusFor(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof StatusRuntimeException status) {
            return status;
        }
        if (cause instanceof IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
        if (cause instanceof ReceptionRefused refused) {
            SmtpReply reply = refused.reply();
            Status status = reply.isPermanent() ? Status.FAILED_PRECONDITION : Status.UNAVAILABLE;
            return status.withDescription("refused: " + reply).asRuntimeException();
        }
        if (cause instanceof SpoolException.SpoolFull) {
            return Status.RESOURCE_EXHAUSTED.withDescription("spool full").asRuntimeException();
        }
        if (cause instanceof SpoolException) {
            return Status.UNAVAILABLE.withDescription("spool unavailable; retry later").asRuntimeException();
        }
        log.atError().setCause(cause).log("control-plane call failed");
        return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }

    /** The SMTP reply SMTP reception would have given for {@code failure}, if it is a refusal. */
    static Optional<SmtpReply> smtpReplyOf(Throwable failure) {
        return unwrap(failure) instanceof ReceptionRefused refused ? Optional.of(refused.reply())
                : Optional.empty();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
