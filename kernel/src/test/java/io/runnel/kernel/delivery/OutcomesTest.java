package io.runnel.kernel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.MutableClock;
import io.runnel.kernel.config.QueueSettings;
import io.runnel.kernel.delivery.RecipientOutcome.Kind;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.RecipientState;
import io.runnel.kernel.queue.RetryPolicy;
import io.runnel.kernel.report.BounceRulesLoader;
import io.runnel.kernel.spool.SpoolId;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class OutcomesTest {

    private static final QueueSettings SETTINGS =
            new QueueSettings(Duration.ofMinutes(10), Duration.ofHours(2), Duration.ofHours(6), Optional.empty());
    private static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "ok");
    private static final SmtpReply LATER = SmtpReply.of(451, "4.7.1", "try later");
    private static final SmtpReply NO_USER = SmtpReply.of(550, "5.1.1", "no such user");

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final Outcomes outcomes = new Outcomes(new RetryPolicy(new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return 0; // no jitter: the schedule is exact
        }
    }), BounceRulesLoader.builtIn());

    private MessageMeta message(String... recipients) {
        List<Recipient> list = Arrays.stream(recipients)
                .map(a -> Recipient.pending(EmailAddress.parse(a), Set.of(), Optional.empty())).toList();
        return new MessageMeta(new SpoolId.Factory(clock, RandomGenerator.of("L64X128MixRandom")).next(), clock.instant(),
                EmailAddress.parse("s@sender.example"), list,
                new MailParameters(MailParameters.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty()),
                new ReceptionFacts("default", "127.0.0.1", "client", "ESMTP", Optional.empty(), Optional.empty()),
                Optional.empty(), Optional.empty(), 0, clock.instant(), 100, Optional.empty());
    }

    private static SmtpReply by(Recipient r, Map<String, SmtpReply> replies) {
        return replies.get(r.address().localPart());
    }

    @Test
    void eachRecipientGetsTheOutcomeOfItsReply() {
        MessageMeta meta = message("ok@a.example", "later@a.example", "gone@a.example", "other@b.example");
        Map<String, SmtpReply> replies = Map.of("ok", OK, "later", LATER, "gone", NO_USER);
        AttemptResult result = outcomes.afterAttempt(meta, "a.example", r -> by(r, replies), clock.instant(), SETTINGS);

        assertThat(result.outcomes()).extracting(RecipientOutcome::kind).containsExactly(Kind.DELIVERED, Kind.DEFERRED, Kind.BOUNCED);
        assertThat(result.meta().recipients()).extracting(Recipient::state)
                .containsExactly(RecipientState.DELIVERED, RecipientState.PENDING, RecipientState.FAILED, RecipientState.PENDING);
        assertThat(result.meta().attempts()).isEqualTo(1);
        assertThat(result.retryAt()).contains(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(result.finished()).isFalse();
    }

    @Test
    void aMessageIsFinishedWhenNoRecipientIsPending() {
        MessageMeta meta = message("ok@a.example", "gone@a.example");
        AttemptResult result = outcomes.afterAttempt(meta, "a.example", r -> by(r, Map.of("ok", OK, "gone", NO_USER)), clock.instant(), SETTINGS);
        assertThat(result.finished()).isTrue();
        assertThat(result.retryAt()).isEmpty();
    }

    @Test
    void backoffDoublesWithEachAttempt() {
        MessageMeta meta = message("later@a.example");
        for (Duration expected : List.of(Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(40), Duration.ofMinutes(80),
                Duration.ofHours(2), Duration.ofHours(2))) {
            AttemptResult result = outcomes.afterAttempt(meta, "a.example", r -> LATER, clock.instant(), SETTINGS);
            assertThat(result.retryAt()).contains(clock.instant().plus(expected));
            meta = result.meta();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(meta.attempts()).isEqualTo(6);
    }

    @Test
    void aTransientFailurePastMaxAgeExpires() {
        MessageMeta meta = message("later@a.example");
        clock.advance(Duration.ofHours(6));
        AttemptResult result = outcomes.afterAttempt(meta, "a.example", r -> LATER, clock.instant(), SETTINGS);
        assertThat(result.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(Kind.EXPIRED);
            assertThat(o.reply().enhancedStatus()).hasValueSatisfying(s -> assertThat(s).hasToString("4.4.7"));
            assertThat(o.reply().lines().get(0)).contains("try later");
        });
        assertThat(result.finished()).isTrue();
    }

    @Test
    void failuresCarryTheirBounceClassification() {
        MessageMeta meta = message("ok@a.example", "later@a.example", "gone@a.example");
        Map<String, SmtpReply> replies = Map.of("ok", OK, "later", LATER, "gone", NO_USER);
        AttemptResult result = outcomes.afterAttempt(meta, "a.example", r -> by(r, replies), clock.instant(), SETTINGS);
        assertThat(result.outcomes()).extracting(RecipientOutcome::category)
                .containsExactly("Uncategorized", "TransientFailure", "InvalidRecipient");
    }

    @Test
    void anExpiryIsMessageExpiredUnlessItsLastReplyNamesACause() {
        MessageMeta later = message("later@a.example");
        MessageMeta fullBox = message("full@a.example");
        clock.advance(Duration.ofHours(6));
        AttemptResult vague = outcomes.afterAttempt(later, "a.example", r -> LATER, clock.instant(), SETTINGS);
        assertThat(vague.outcomes()).singleElement().extracting(RecipientOutcome::category).isEqualTo("MessageExpired");

        SmtpReply full = SmtpReply.of(452, "4.2.2", "Mailbox full");
        AttemptResult specific = outcomes.afterAttempt(fullBox, "a.example", r -> full, clock.instant(), SETTINGS);
        assertThat(specific.outcomes()).singleElement().extracting(RecipientOutcome::category).isEqualTo("QuotaIssues");
    }

    @Test
    void aConnectionFailureDefersWithoutBurningAnAttempt() {
        MessageMeta meta = message("x@a.example");
        AttemptResult result = outcomes.withoutAttempt(meta, "a.example", SmtpReply.of(421, "4.4.1", "connection refused"),
                clock.instant(), SETTINGS);
        assertThat(result.meta().attempts()).isZero();
        assertThat(result.outcomes()).extracting(RecipientOutcome::kind).containsExactly(Kind.DEFERRED);
        assertThat(result.retryAt()).contains(clock.instant().plus(Duration.ofMinutes(10)));
    }
}
