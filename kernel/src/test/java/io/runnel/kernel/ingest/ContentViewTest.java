package io.runnel.kernel.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.runnel.api.mail.HeaderField;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentViewTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(ContentView view) throws Exception {
        return new String(view.openBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void headerFieldsAreCutByteExactWithTheirFolding() throws Exception {
        ByteBuf content = bytes("From: a@b.example\r\nSubject: one\r\n  two \r\nX-Empty:\r\n\r\nbody line\r\n");
        ContentView view = new ContentView(content);
        assertThat(view.headers()).extracting(HeaderField::name).containsExactly("From", "Subject", "X-Empty");
        assertThat(new String(view.headers().get(1).raw(), StandardCharsets.UTF_8)).isEqualTo("Subject: one\r\n  two \r\n");
        assertThat(body(view)).isEqualTo("body line\r\n");
        assertThat(view.bodySize()).isEqualTo(11);
        content.release();
    }

    @Test
    void aMessageWithoutBodyHasAnEmptyOne() throws Exception {
        ContentView view = new ContentView(bytes("From: a@b.example\r\nSubject: x\r\n"));
        assertThat(view.headers()).hasSize(2);
        assertThat(body(view)).isEmpty();
        ContentView blankOnly = new ContentView(bytes("From: a@b.example\r\n\r\n"));
        assertThat(blankOnly.bodySize()).isZero();
    }

    @Test
    void aLineThatIsNoHeaderEndsTheHeaderBlock() throws Exception {
        ContentView view = new ContentView(bytes("From: a@b.example\r\nthis is not a header\r\nmore\r\n"));
        assertThat(view.headers()).extracting(HeaderField::name).containsExactly("From");
        assertThat(body(view)).isEqualTo("this is not a header\r\nmore\r\n");
    }

    @Test
    void aLineWithOnlyWhiteSpaceBeforeTheColonEndsTheHeaderBlock() throws Exception {
        // found by ContentViewFuzzTest: the empty name made HeaderField throw, failing the whole reception
        ContentView cr = new ContentView(bytes("From: a@b.example\r\n\r: x\r\nrest\r\n"));
        assertThat(cr.headers()).extracting(HeaderField::name).containsExactly("From");
        assertThat(body(cr)).isEqualTo("\r: x\r\nrest\r\n");
        ContentView vt = new ContentView(bytes("\u000b: x\r\n\r\nbody\r\n"));
        assertThat(vt.headers()).isEmpty();
        assertThat(body(vt)).isEqualTo("\u000b: x\r\n\r\nbody\r\n");
    }

    @Test
    void theBodyIsStreamedAsIsIncludingEightBitBytes() throws Exception {
        ContentView view = new ContentView(bytes("Subject: x\r\n\r\ncaf\u00e9\r\n\r\n\r\n"));
        assertThat(body(view)).isEqualTo("caf\u00e9\r\n\r\n\r\n");
    }

    @Test
    void firstValueIsUnfoldedTrimmedAndCaseInsensitive() {
        ContentView view = new ContentView(bytes("x-tenant:  acme\r\nX-Campaign: spring\r\n  sale\r\nX-Empty:  \r\n\r\nbody\r\n"));
        assertThat(view.firstValue("X-Tenant")).contains("acme");
        assertThat(view.firstValue("x-campaign")).contains("spring  sale");
        assertThat(view.firstValue("X-Empty")).isEmpty();
        assertThat(view.firstValue("X-Missing")).isEmpty();
    }
}
