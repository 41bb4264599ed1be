package io.runnel.kernel.smtp.client;

import static io.runnel.kernel.smtp.client.ClientFixture.EIGHT_BIT;
import static io.runnel.kernel.smtp.client.ClientFixture.await;
import static io.runnel.kernel.smtp.client.ClientFixture.config;
import static io.runnel.kernel.smtp.client.ClientFixture.message;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MailParameters.BodyType;
import io.runnel.kernel.message.MailParameters.DsnReturn;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.DsnNotify;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkCommand;
import io.runnel.sdk.sink.SinkFault;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against the sdk sink on loopback: transactions, extensions, reuse. */
class SmtpClientTest {

    private static final SinkOptions KEEPING = SinkOptions.defaults().keepingMessages(true);
    private static final String NO_PIPELINING[] = {"8BITMIME", "SMTPUTF8", "SIZE", "ENHANCEDSTATUSCODES"};
    /** A server such as Postfix 2 or Exchange without CHUNKING: DATA it is. */
    private static final SinkOptions WITHOUT_CHUNKING = KEEPING.withExtensions("PIPELINING", "8BITMIME", "SMTPUTF8", "SIZE", "ENHANCEDSTATUSCODES");

    private static ClientFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ClientFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static List<String> lines(SmtpSink sink, String verb) {
        return sink.commands().stream().filter(c -> c.verb().equals(verb)).map(SinkCommand::line).toList();
    }

    @Test
    void deliversOneMessageByteExactIncludingLinesThatStartWithDots() throws Exception {
        String content = "Subject: dots\r\n\r\n.starts with a dot\r\n..two\r\n.\r\nmiddle . dot\r\n";
        try (SmtpSink sink = SmtpSink.start(WITHOUT_CHUNKING)) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult result = await(connection.send(message(content, "rcpt@example.com")));
            await(connection.quit());

            assertThat(result.replyFor(0).code()).isEqualTo(250);
            assertThat(result.deliveredCount()).isEqualTo(1);
            assertThat(sink.received()).singleElement().satisfies(m -> {
                assertThat(m.sender()).isEqualTo("sender@example.com");
                assertThat(m.recipients()).containsExactly("rcpt@example.com");
                assertThat(new String(m.content(), UTF_8)).isEqualTo(content);
            });
            assertThat(sink.commands()).extracting(SinkCommand::verb).containsExactly("EHLO", "MAIL", "RCPT", "DATA", "QUIT");
            assertThat(connection.facts().greeting().code()).isEqualTo(220);
            assertThat(connection.facts().esmtp()).isTrue();
            assertThat(connection.facts().offers("pipelining")).isTrue();
        }
    }

    @Test
    void pipelinesMailRecipientsAndDataInOneWriteWhenOffered() throws Exception {
        try (SmtpSink sink = SmtpSink.start(WITHOUT_CHUNKING)) {
            SmtpConnection connection = fixture.open(sink, config());

            await(connection.send(message("x\r\n", "a@example.com", "b@example.com")));

            List<SinkCommand> batch = sink.commands().stream().filter(c -> List.of("MAIL", "RCPT", "DATA").contains(c.verb())).toList();
            assertThat(batch).hasSize(4);
            assertThat(batch).extracting(SinkCommand::read).containsOnly(batch.get(0).read());
        }
    }

    @Test
    void waitsForEachReplyWhenPipeliningIsNotOffered() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withExtensions(NO_PIPELINING))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult result = await(connection.send(message("x\r\n", "a@example.com", "b@example.com")));

            assertThat(result.deliveredCount()).isEqualTo(2);
            List<SinkCommand> commands = sink.commands().stream().filter(c -> List.of("MAIL", "RCPT", "DATA").contains(c.verb())).toList();
            assertThat(commands).extracting(SinkCommand::read).doesNotHaveDuplicates().hasSize(4);
        }
    }

    @Test
    void carriesSeveralMessagesOverOneConnection() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING)) {
            SmtpConnection connection = fixture.open(sink, config());

            for (int i = 0; i < 3; i++) {
                TransactionResult result = await(connection.send(message("message " + i + "\r\n", "r" + i + "@example.com")));
                assertThat(result.replyFor(0).code()).isEqualTo(250);
                assertThat(connection.isReusable()).isTrue();
            }

            assertThat(connection.deliveries()).isEqualTo(3);
            assertThat(sink.received()).hasSize(3);
            assertThat(sink.peers()).hasSize(1);
            assertThat(sink.commands()).extracting(SinkCommand::connection).containsOnly(1);
        }
    }

    @Test
    void mixedRecipientRepliesGiveEachRecipientItsOwnReplyAndDataOnlyForTheAccepted() throws Exception {
        RecipientPolicy policy = RecipientPolicy.scripted(Map.of(
                "gone@example.com", SinkReply.of(550, "5.1.1 No such user"),
                "busy@example.com", SinkReply.of(451, "4.2.1 Mailbox busy")));
        try (SmtpSink sink = SmtpSink.start(KEEPING.withRecipientPolicy(policy))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult result = await(connection.send(message("x\r\n", "gone@example.com", "busy@example.com", "ok@example.com")));

            assertThat(result.replyFor(0)).isEqualTo(SmtpReply.of(550, "5.1.1", "No such user"));
            assertThat(result.replyFor(1)).isEqualTo(SmtpReply.of(451, "4.2.1", "Mailbox busy"));
            assertThat(result.replyFor(2).code()).isEqualTo(250);
            assertThat(result.deliveredCount()).isEqualTo(1);
            assertThat(sink.received()).singleElement().satisfies(m -> assertThat(m.recipients()).containsExactly("ok@example.com"));
            assertThat(connection.isReusable()).isTrue();
        }
    }

    @Test
    void allRecipientsRefusedSendsNoDataButResetsAndKeepsTheConnection() throws Exception {
        RecipientPolicy refuseAll = recipient -> SinkReply.of(550, "5.1.1 No such user");
        try (SmtpSink sink = SmtpSink.start(KEEPING.withExtensions(NO_PIPELINING).withRecipientPolicy(refuseAll))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult result = await(connection.send(message("x\r\n", "a@example.com", "b@example.com")));

            assertThat(result.replyFor(0).code()).isEqualTo(550);
            assertThat(result.replyFor(1).code()).isEqualTo(550);
            assertThat(result.dataReply()).isEmpty();
            assertThat(sink.commands()).extracting(SinkCommand::verb).containsExactly("EHLO", "MAIL", "RCPT", "RCPT", "RSET");
            assertThat(connection.isReusable()).isTrue();
        }
    }

    @Test
    void deferredMailIsReportedAndTheNextTryOnTheSameConnectionIsAccepted() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withFaults("MAIL", SinkFault.reply(451, "4.3.0 Try again later")))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult first = await(connection.send(message("x\r\n", "a@example.com")));
            assertThat(first.replyFor(0)).isEqualTo(SmtpReply.of(451, "4.3.0", "Try again later"));
            assertThat(first.replyFor(0).isTransient()).isTrue();
            assertThat(connection.isReusable()).isTrue();

            TransactionResult second = await(connection.send(message("x\r\n", "a@example.com")));
            assertThat(second.replyFor(0).code()).isEqualTo(250);
            assertThat(sink.received()).hasSize(1);
        }
    }

    @Test
    void refusedMailFailsEveryRecipientWithTheMailReply() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withFaults("MAIL", SinkFault.reply(550, "5.7.1 Sender blocked")))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult result = await(connection.send(message("x\r\n", "a@example.com", "b@example.com")));

            assertThat(result.replyFor(0)).isEqualTo(SmtpReply.of(550, "5.7.1", "Sender blocked"));
            assertThat(result.replyFor(1)).isEqualTo(SmtpReply.of(550, "5.7.1", "Sender blocked"));
            assertThat(sink.received()).isEmpty();
        }
    }

    @Test
    void refusedDataGivesEveryAcceptedRecipientTheDataReply() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withExtensions(NO_PIPELINING)
                .withFaults("DATA", SinkFault.reply(554, "5.6.0 Content refused")))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult result = await(connection.send(message("x\r\n", "a@example.com", "b@example.com")));

            assertThat(result.replyFor(0)).isEqualTo(SmtpReply.of(554, "5.6.0", "Content refused"));
            assertThat(result.replyFor(1)).isEqualTo(SmtpReply.of(554, "5.6.0", "Content refused"));
            assertThat(sink.commands()).extracting(SinkCommand::verb).endsWith("DATA", "RSET");
            assertThat(connection.isReusable()).isTrue();
        }
    }

    @Test
    void refusedEndOfDataIsTheReplyForEveryAcceptedRecipient() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withFaults(".", SinkFault.reply(552, "5.2.2 Mailbox full")))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult result = await(connection.send(message("x\r\n", "a@example.com")));

            assertThat(result.replyFor(0)).isEqualTo(SmtpReply.of(552, "5.2.2", "Mailbox full"));
            assertThat(connection.isReusable()).isTrue();
        }
    }

    @Test
    void chunkingSendsTheContentUnchangedAsOneBdatInTheSameWriteAsMailAndRcpt() throws Exception {
        String content = "Subject: dots\r\n\r\n.starts with a dot\r\n..two\r\n.\r\nmiddle . dot\r\n";
        try (SmtpSink sink = SmtpSink.start(KEEPING)) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult first = await(connection.send(message(content, "a@example.com", "b@example.com")));
            TransactionResult second = await(connection.send(message("second\r\n", "c@example.com")));

            assertThat(first.replyFor(0).code()).isEqualTo(250);
            assertThat(first.replyFor(1).code()).isEqualTo(250);
            assertThat(first.dataReply()).hasValueSatisfying(end -> assertThat(end.code()).isEqualTo(250));
            assertThat(second.replyFor(0).code()).isEqualTo(250);
            assertThat(connection.isReusable()).isTrue();
            assertThat(sink.received()).extracting(m -> new String(m.content(), UTF_8)).containsExactly(content, "second\r\n");
            List<SinkCommand> firstBatch = sink.commands().subList(1, 5);
            assertThat(firstBatch).extracting(SinkCommand::line).containsExactly("MAIL FROM:<sender@example.com> SIZE=" + content.length(),
                    "RCPT TO:<a@example.com>", "RCPT TO:<b@example.com>", "BDAT " + content.length() + " LAST");
            assertThat(firstBatch).extracting(SinkCommand::read).containsOnly(firstBatch.get(0).read());
            assertThat(sink.commands()).extracting(SinkCommand::verb).doesNotContain("DATA", "RSET");
        }
    }

    @Test
    void chunkingEndsContentWithoutAFinalLineBreakWithCrlfAsDataWould() throws Exception {
        try (SmtpSink chunking = SmtpSink.start(KEEPING); SmtpSink data = SmtpSink.start(WITHOUT_CHUNKING)) {
            await(fixture.open(chunking, config()).send(message("no line break", "a@example.com")));
            await(fixture.open(data, config()).send(message("no line break", "a@example.com")));

            assertThat(lines(chunking, "BDAT")).containsExactly("BDAT 15 LAST");
            assertThat(chunking.received()).extracting(m -> new String(m.content(), UTF_8)).containsExactly("no line break\r\n");
            assertThat(data.received()).extracting(m -> new String(m.content(), UTF_8)).containsExactly("no line break\r\n");
        }
    }

    @ParameterizedTest(name = "chunking {0}")
    @ValueSource(booleans = {false, true})
    void allRecipientsRefusedWhilePipeliningStoresNothingAndResets(boolean chunking) throws Exception {
        RecipientPolicy refuseAll = recipient -> SinkReply.of(550, "5.1.1 No such user");
        try (SmtpSink sink = SmtpSink.start(KEEPING.withRecipientPolicy(refuseAll))) {
            SmtpConnection connection = fixture.open(sink, config().withChunking(chunking));

            TransactionResult result = await(connection.send(message("x\r\n", "a@example.com")));

            assertThat(result.replyFor(0)).isEqualTo(SmtpReply.of(550, "5.1.1", "No such user"));
            assertThat(result.dataReply()).isEmpty();
            assertThat(sink.received()).isEmpty();
            assertThat(sink.commands()).extracting(SinkCommand::verb).endsWith("RCPT", chunking ? "BDAT" : "DATA", "RSET");
            assertThat(connection.isReusable()).isTrue();
        }
    }

    @Test
    void refusedLastChunkIsTheReplyForEveryAcceptedRecipientAndIsReset() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withFaults("BDAT", SinkFault.reply(452, "4.3.1 Insufficient storage")))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult refused = await(connection.send(message("x\r\n", "a@example.com", "b@example.com")));
            TransactionResult next = await(connection.send(message("y\r\n", "a@example.com")));

            assertThat(refused.replyFor(0)).isEqualTo(SmtpReply.of(452, "4.3.1", "Insufficient storage"));
            assertThat(refused.replyFor(1)).isEqualTo(SmtpReply.of(452, "4.3.1", "Insufficient storage"));
            assertThat(next.replyFor(0).code()).isEqualTo(250);
            assertThat(sink.commands()).extracting(SinkCommand::verb)
                    .containsExactly("EHLO", "MAIL", "RCPT", "RCPT", "BDAT", "RSET", "MAIL", "RCPT", "BDAT");
            assertThat(sink.received()).extracting(m -> new String(m.content(), UTF_8)).containsExactly("y\r\n");
        }
    }

    @Test
    void bigMessagesAndChunkingSwitchedOffGoWithData() throws Exception {
        String big = "z".repeat(SmtpConnection.MAX_PIPELINED_CHUNK) + "\r\n";
        try (SmtpSink sink = SmtpSink.start(KEEPING.withMaxMessageSize(1 << 20))) {
            SmtpConnection connection = fixture.open(sink, config());
            SmtpConnection withoutChunking = fixture.open(sink, config().withChunking(false));

            await(connection.send(message(big, "a@example.com")));
            await(connection.send(message("small\r\n", "a@example.com")));
            await(withoutChunking.send(message("small\r\n", "a@example.com")));

            assertThat(sink.commands()).extracting(SinkCommand::verb).filteredOn(v -> v.equals("DATA") || v.equals("BDAT"))
                    .containsExactly("DATA", "BDAT", "DATA");
            assertThat(sink.received()).extracting(m -> m.content().length).containsExactly(big.length(), 7, 7);
        }
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withFaults("EHLO", SinkFault.reply(502, "5.5.1 Unknown command")))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult result = await(connection.send(message("x\r\n", "a@example.com")));

            assertThat(connection.facts().esmtp()).isFalse();
            assertThat(connection.facts().extensions()).isEmpty();
            assertThat(result.replyFor(0).code()).isEqualTo(250);
            assertThat(lines(sink, "HELO")).containsExactly("HELO client.runnel.test");
            assertThat(lines(sink, "MAIL")).containsExactly("MAIL FROM:<sender@example.com>");   // no SIZE without EHLO
        }
    }

    @Test
    void announcesTheSizeWhenOfferedAndRefusesLocallyWhatExceedsIt() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withMaxMessageSize(100))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult small = await(connection.send(message("x\r\n", "a@example.com")));
            TransactionResult big = await(connection.send(message("y".repeat(101), "a@example.com", "b@example.com")));

            assertThat(small.replyFor(0).code()).isEqualTo(250);
            assertThat(lines(sink, "MAIL")).containsExactly("MAIL FROM:<sender@example.com> SIZE=3");
            assertThat(big.sent()).isFalse();
            assertThat(big.replyFor(0)).isEqualTo(SmtpReply.of(552, "5.3.4", "Message size exceeds the limit the server advertised"));
            assertThat(big.replyFor(1).code()).isEqualTo(552);
            assertThat(connection.isReusable()).isTrue();
        }
    }

    @Test
    void eightBitContentGoesWithBody8bitmimeWhenOffered() throws Exception {
        String content = "Subject: caf\u00e9\r\n\r\nna\u00efve\r\n";
        try (SmtpSink sink = SmtpSink.start(KEEPING)) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult result = await(connection.send(message(EIGHT_BIT, content, "a@example.com")));

            assertThat(result.replyFor(0).code()).isEqualTo(250);
            assertThat(lines(sink, "MAIL")).singleElement().asString().contains(" BODY=8BITMIME").doesNotContain("SMTPUTF8");
            assertThat(sink.received()).singleElement().satisfies(m -> assertThat(new String(m.content(), UTF_8)).isEqualTo(content));
        }
    }

    @Test
    void eightBitContentFailsWithoutBeingSentWhen8bitmimeIsNotOffered() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withExtensions("PIPELINING", "SIZE"))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult eightBit = await(connection.send(message(EIGHT_BIT, "na\u00efve\r\n", "a@example.com")));
            TransactionResult declaredButSevenBit = await(connection.send(message(EIGHT_BIT, "plain\r\n", "a@example.com")));

            assertThat(eightBit.sent()).isFalse();
            assertThat(eightBit.replyFor(0).code()).isEqualTo(554);
            assertThat(eightBit.replyFor(0).enhancedStatus()).hasValueSatisfying(s -> assertThat(s).hasToString("5.6.3"));
            assertThat(declaredButSevenBit.replyFor(0).code()).isEqualTo(250);
            assertThat(lines(sink, "MAIL")).singleElement().asString().doesNotContain("BODY=");
        }
    }

    @Test
    void internationalisedRecipientNeedsSmtputf8AndFailsLocallyWithoutIt() throws Exception {
        OutboundMessage utf8 = message("x\r\n", "j\u00f6rg@example.com");
        try (SmtpSink without = SmtpSink.start(KEEPING.withExtensions("PIPELINING", "8BITMIME"));
             SmtpSink with = SmtpSink.start(KEEPING)) {
            TransactionResult refused = await(fixture.open(without, config()).send(utf8));
            TransactionResult delivered = await(fixture.open(with, config()).send(utf8));

            assertThat(refused.sent()).isFalse();
            assertThat(refused.replyFor(0).code()).isEqualTo(553);
            assertThat(refused.replyFor(0).enhancedStatus()).hasValueSatisfying(s -> assertThat(s).hasToString("5.6.7"));
            assertThat(lines(without, "MAIL")).isEmpty();
            assertThat(delivered.replyFor(0).code()).isEqualTo(250);
            assertThat(lines(with, "MAIL")).singleElement().asString().endsWith(" SMTPUTF8");
            assertThat(lines(with, "RCPT")).containsExactly("RCPT TO:<j\u00f6rg@example.com>");
        }
    }

    @Test
    void utf8HeadersNeedSmtputf8OnlyWhenTheMessageReallyHasThem() throws Exception {
        MailParameters smtpUtf8 = new MailParameters(BodyType.EIGHT_BIT_MIME, true, Optional.empty(), Optional.empty());
        try (SmtpSink sink = SmtpSink.start(KEEPING.withExtensions("8BITMIME"))) {
            SmtpConnection connection = fixture.open(sink, config());

            TransactionResult asciiHeaders = await(connection.send(message(smtpUtf8, "Subject: hi\r\n\r\nb\u00f6dy\r\n", "a@example.com")));
            TransactionResult utf8Headers = await(connection.send(message(smtpUtf8, "Subject: h\u00ef\r\n\r\nbody\r\n", "a@example.com")));

            assertThat(asciiHeaders.replyFor(0).code()).isEqualTo(250);
            assertThat(utf8Headers.replyFor(0).code()).isEqualTo(553);
        }
    }

    @Test
    void passesDsnParametersWhenTheServerOffersDsn() throws Exception {
        MailParameters dsn = new MailParameters(BodyType.SEVEN_BIT, false, Optional.of(DsnReturn.HDRS), Optional.of("id+1=x"));
        Recipient recipient = Recipient.pending(EmailAddress.parse("a@example.com"), Set.of(DsnNotify.DELAY, DsnNotify.FAILURE),
                Optional.of("rfc822;orig@example.com"));
        OutboundMessage message = new OutboundMessage(EmailAddress.NULL_SENDER, List.of(recipient), dsn, "x\r\n".getBytes(UTF_8));
        try (SmtpSink withDsn = SmtpSink.start(KEEPING.withExtensions("PIPELINING", "DSN"));
             SmtpSink withoutDsn = SmtpSink.start(KEEPING.withExtensions("PIPELINING"))) {
            await(fixture.open(withDsn, config()).send(message));
            await(fixture.open(withoutDsn, config()).send(message));

            assertThat(lines(withDsn, "MAIL")).containsExactly("MAIL FROM:<> RET=HDRS ENVID=id+2B1+3Dx");
            assertThat(lines(withDsn, "RCPT")).containsExactly("RCPT TO:<a@example.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;orig@example.com");
            assertThat(lines(withoutDsn, "MAIL")).containsExactly("MAIL FROM:<>");
            assertThat(lines(withoutDsn, "RCPT")).containsExactly("RCPT TO:<a@example.com>");
        }
    }

    @Test
    void bindsTheEgressSourceAddressAndGreetsWithItsEhloName() throws Exception {
        InetAddress source = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        try (SmtpSink sink = SmtpSink.start(KEEPING)) {
            SmtpConnection connection = fixture.open(sink, config().withBindAddress(source));

            await(connection.send(message("x\r\n", "a@example.com")));

            assertThat(sink.peers()).singleElement().satisfies(peer -> assertThat(peer.getAddress()).isEqualTo(source));
            assertThat(connection.facts().localAddress().getAddress()).isEqualTo(source);
            assertThat(lines(sink, "EHLO")).containsExactly("EHLO client.runnel.test");
        }
    }
}
