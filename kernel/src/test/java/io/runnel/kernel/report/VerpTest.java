package io.runnel.kernel.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.config.ReportConfig;
import io.runnel.kernel.spool.SpoolId;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerpTest {

    private static final ReportConfig.Verp VERP = new ReportConfig.Verp("bounces.example.net", "b");
    private static final SpoolId ID = SpoolId.parse("0190c6f1a2b34c5d8e9f00112233aabb");

    @Test
    void oneRecipientIsEncodedAndDecodedBack() {
        EmailAddress rcpt = EmailAddress.parse("alice.smith+news@example.com");
        EmailAddress from = Verp.encode(VERP, ID, List.of(rcpt));
        assertThat(from).hasToString("b+0190c6f1a2b34c5d8e9f00112233aabb=alice.smith+news=example.com@bounces.example.net");
        assertThat(Verp.decode(VERP, from)).hasValueSatisfying(d -> {
            assertThat(d.id()).isEqualTo(ID);
            assertThat(d.recipient()).contains(rcpt);
        });
    }

    @Test
    void severalRecipientsOrALongAddressNameOnlyTheMessage() {
        EmailAddress from = Verp.encode(VERP, ID, List.of(EmailAddress.parse("a@x.example"), EmailAddress.parse("b@x.example")));
        assertThat(from).hasToString("b+0190c6f1a2b34c5d8e9f00112233aabb@bounces.example.net");
        EmailAddress longOne = EmailAddress.parse("a-very-long-local-part-indeed@subdomain.example.com");
        assertThat(Verp.encode(VERP, ID, List.of(longOne)).localPart()).hasSizeLessThanOrEqualTo(64);
        assertThat(Verp.decode(VERP, from)).hasValueSatisfying(d -> assertThat(d.recipient()).isEmpty());
    }

    @Test
    void otherAddressesAreNotVerp() {
        assertThat(Verp.decode(VERP, EmailAddress.parse("postmaster@bounces.example.net"))).isEmpty();
        assertThat(Verp.decode(VERP, EmailAddress.parse("b+0190c6f1a2b34c5d8e9f00112233aabb@elsewhere.example"))).isEmpty();
        assertThat(Verp.decode(VERP, EmailAddress.parse("x+0190c6f1a2b34c5d8e9f00112233aabb@bounces.example.net"))).isEmpty();
    }
}
