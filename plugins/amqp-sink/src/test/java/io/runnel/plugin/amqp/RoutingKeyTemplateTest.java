package io.runnel.plugin.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.log.LogEvent;
import io.runnel.api.testing.LogEvents;
import org.junit.jupiter.api.Test;

class RoutingKeyTemplateTest {

    @Test
    void rendersPlaceholdersBetweenLiterals() {
        RoutingKeyTemplate template = RoutingKeyTemplate.parse("log.{tenant}.{campaign}.{type}!");

        assertThat(template.render(LogEvents.record(LogEvent.Type.TRANSIENT_FAILURE, "m", "acme", "sale")))
                .isEqualTo("log.acme.sale.TransientFailure!");
    }

    @Test
    void absentTenantAndCampaignRenderEmpty() {
        assertThat(RoutingKeyTemplate.parse("{type}.{tenant}.{campaign}")
                .render(LogEvents.record(LogEvent.Type.RECEPTION, "m", null, null))).isEqualTo("Reception..");
    }

    @Test
    void aTemplateWithoutPlaceholdersIsOneFixedKey() {
        assertThat(RoutingKeyTemplate.parse("all-records")
                .render(LogEvents.record(LogEvent.Type.DELIVERY, "m", "acme", null))).isEqualTo("all-records");
    }

    @Test
    void rejectsUnclosedAndUnknownPlaceholders() {
        assertThatThrownBy(() -> RoutingKeyTemplate.parse("{type")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> RoutingKeyTemplate.parse("{recipient}")).hasMessageContaining("{recipient}");
    }
}
