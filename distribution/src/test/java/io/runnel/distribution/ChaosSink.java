package io.runnel.distribution;

import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkFault;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A receiving server that misbehaves at random, seeded: refuses or drops connections at the greeting, defers (4xx)
 * and rejects (5xx) at MAIL, RCPT and after the final dot, drops the connection or stalls (no reply until the
 * daemon's timeout) mid-transaction. A few recipients are always deferred so they age into Expiration records.
 * Every decision past the scripted faults is a normal answer; the test routes its final, calm phase elsewhere.
 */
final class ChaosSink implements AutoCloseable {

    /** Scripted occurrences per verb: far more than one CI run reaches, so the chaos lasts the whole run. */
    private static final int SCRIPT = 20_000;

    private final SmtpSink sink;

    private ChaosSink(SmtpSink sink) {
        this.sink = sink;
    }

    static ChaosSink start(long seed) throws IOException {
        Random random = new Random(seed);
        SinkOptions options = SinkOptions.defaults().keepingMessages(true).withPort(0)
                .withRecipientPolicy(recipientPolicy(new Random(random.nextLong())))
                .withFaults("BANNER", script(random, new Odds(0.03, 0.0, 0.03, 0.01), 421))
                .withFaults("MAIL", script(random, new Odds(0.04, 0.01, 0.02, 0.0), 451))
                .withFaults("DATA", script(random, new Odds(0.02, 0.0, 0.02, 0.01), 451))
                .withFaults(".", script(random, new Odds(0.06, 0.03, 0.03, 0.01), 451));
        return new ChaosSink(SmtpSink.start(options));
    }

    int port() {
        return sink.port();
    }

    List<ReceivedMessage> received() {
        return sink.received();
    }

    @Override
    public void close() {
        sink.close();
    }

    /** Chances of a 4xx, a 5xx, a dropped connection and a stall at one occurrence of a verb. */
    private record Odds(double defer, double reject, double drop, double stall) {}

    private static SinkFault[] script(Random random, Odds odds, int deferCode) {
        List<SinkFault> script = new ArrayList<>(SCRIPT);
        for (int i = 0; i < SCRIPT; i++) {
            double dice = random.nextDouble();
            if ((dice -= odds.defer()) < 0) {
                script.add(SinkFault.reply(deferCode, "4.3.0 chaos: try again later"));
            } else if ((dice -= odds.reject()) < 0) {
                script.add(SinkFault.reply(554, "5.7.1 chaos: rejected"));
            } else if ((dice -= odds.drop()) < 0) {
                script.add(new SinkFault.Drop());
            } else if (dice - odds.stall() < 0) {
                script.add(new SinkFault.Stall());
            } else {
                script.add(new SinkFault.Normal());
            }
        }
        return script.toArray(SinkFault[]::new);
    }

    /** Random 4xx and 5xx per recipient; {@code r<n>} with n % 97 == 13 is always deferred (it expires). */
    private static RecipientPolicy recipientPolicy(Random random) {
        SinkReply defer = SinkReply.of(451, "4.2.1 chaos: mailbox busy");
        SinkReply reject = SinkReply.of(550, "5.1.1 chaos: no such user");
        return recipient -> {
            if (recipient.matches("r\\d+@.*") && Integer.parseInt(recipient.substring(1, recipient.indexOf('@'))) % 97 == 13) {
                return defer;
            }
            double dice = random.nextDouble(); // java.util.Random is thread-safe; the event loops share it
            return dice < 0.08 ? defer : dice < 0.10 ? reject : RecipientPolicy.ACCEPTED;
        };
    }
}
