package io.runnel.kernel.smtp.server;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.Recipient;
import java.util.ArrayList;
import java.util.List;

/** The mail transaction in progress: immutable; each accepted RCPT makes a new one. */
record Transaction(EmailAddress sender, MailParameters parameters, List<Recipient> recipients) {

    Transaction {
        recipients = List.copyOf(recipients);
    }

    static Transaction begin(EmailAddress sender, MailParameters parameters) {
        return new Transaction(sender, parameters, List.of());
    }

    Transaction withRecipient(Recipient recipient) {
        List<Recipient> more = new ArrayList<>(recipients.size() + 1);
        more.addAll(recipients);
        more.add(recipient);
        return new Transaction(sender, parameters, more);
    }
}
