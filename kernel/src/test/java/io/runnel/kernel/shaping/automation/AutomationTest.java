package io.runnel.kernel.shaping.automation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.MutableClock;
import io.runnel.kernel.queue.AdminRule;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.queue.Suspensions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

class AutomationTest {

    private static final String SITE = "mta5.am0.yahoodns.net,mta6.am0.yahoodns.net";
    private static final SmtpReply TS04 = SmtpReply.of(421, "4.7.0",
            "[TS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints");
    private static final PathFacts PATH = new PathFacts("ip-1", SITE, Optional.of("acme"), Optional.of("spring"), "yahoo.com");
    private static final QueueName QUEUE = QueueName.parse("spring:acme@yahoo.com");

    @TempDir
    Path data;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private Suspensions suspensions;
    private ShapingOverrides overrides;

    @BeforeEach
    void open() throws Exception {
        suspensions = new Suspensions(clock, data, RandomGenerator.of("L64X128MixRandom"));
        suspensions.start();
        overrides = new ShapingOverrides(clock, data);
        overrides.start();
    }

    @Test
    void anImmediateSuspendHoldsTheSourceToSitePathUntilItsDurationEnds() {
        Automation automation = automation("""
                regex = "\\\\[TS?S04\\\\]"
                action = "Suspend"
                duration = "2 hours"
                """);

        assertThat(automation.observe(PATH, TS04, clock.instant())).containsExactly(new AutomationAction.Suspend());

        Optional<AdminRule> hold = suspensions.holding(QUEUE, SITE, "ip-1");
        assertThat(hold).isPresent();
        assertThat(hold.get().reason()).contains("automation provider.\"yahoo\".automation[0]").contains("[TS04] Messages from");
        assertThat(hold.get().expiresAt()).contains(clock.instant().plus(Duration.ofHours(2)));
        assertThat(suspensions.holding(QueueName.parse("other@yahoo.com"), SITE, "ip-1")).as("every tenant on the path").isPresent();
        assertThat(suspensions.holding(QUEUE, SITE, "ip-2")).as("another source").isEmpty();
        assertThat(suspensions.holding(QUEUE, "mx.example.net", "ip-1")).as("another site").isEmpty();
        assertThat(automation.appliedCount("Suspend")).isEqualTo(1);

        clock.advance(Duration.ofHours(2).minusSeconds(1));
        assertThat(suspensions.holding(QUEUE, SITE, "ip-1")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(suspensions.holding(QUEUE, SITE, "ip-1")).isEmpty();
    }

    @Test
    void aReplyThatMatchesNoRuleChangesNothing() {
        Automation automation = automation("""
                regex = "\\\\[TS04\\\\]"
                action = ["Suspend", {SetConfig={name="max_message_rate", value="1/minute"}}]
                duration = "2 hours"
                """);

        assertThat(automation.observe(PATH, SmtpReply.of(450, "4.2.1", "Mailbox busy"), clock.instant())).isEmpty();
        assertThat(suspensions.active(AdminRule.Kind.SUSPEND)).isEmpty();
        assertThat(overrides.active(clock.instant())).isEmpty();
    }

    @Test
    void withoutRulesForThePathNothingIsLookedAt() {
        Automation automation = Automation.local(AutomationRulesFor.NONE, suspensions, overrides, clock, new SimpleMeterRegistry());

        assertThat(automation.observe(PATH, TS04, clock.instant())).isEmpty();
        assertThat(suspensions.active(AdminRule.Kind.SUSPEND)).isEmpty();
    }

    @Test
    void anActiveActionIsNeitherStackedNorExtended() {
        Automation automation = automation("""
                regex = "TS04"
                action = "Suspend"
                duration = "2 hours"
                """);
        automation.observe(PATH, TS04, clock.instant());
        AdminRule first = suspensions.active(AdminRule.Kind.SUSPEND).get(0);

        clock.advance(Duration.ofMinutes(30));
        assertThat(automation.observe(PATH, TS04, clock.instant())).isEmpty();

        assertThat(suspensions.active(AdminRule.Kind.SUSPEND)).containsExactly(first);
        assertThat(automation.appliedCount("Suspend")).isEqualTo(1);
    }

    @Test
    void aThresholdActsAtTheNthMatchWithinItsSlidingPeriod() {
        Automation automation = automation("""
                regex = "TS04"
                action = "Suspend"
                trigger = {Threshold="3/h"}
                duration = "1h"
                """);

        assertThat(automation.observe(PATH, TS04, clock.instant())).isEmpty();
        clock.advance(Duration.ofMinutes(40));
        assertThat(automation.observe(PATH, TS04, clock.instant())).isEmpty();
        clock.advance(Duration.ofMinutes(30)); // the first match has left the window
        assertThat(automation.observe(PATH, TS04, clock.instant())).isEmpty();
        assertThat(suspensions.active(AdminRule.Kind.SUSPEND)).isEmpty();
        assertThat(automation.observe(new PathFacts("ip-2", SITE, Optional.empty(), Optional.empty(), "yahoo.com"), TS04,
                clock.instant())).as("another path counts apart").isEmpty();

        clock.advance(Duration.ofMinutes(5));
        assertThat(automation.observe(PATH, TS04, clock.instant())).containsExactly(new AutomationAction.Suspend());
        assertThat(suspensions.holding(QUEUE, SITE, "ip-1")).isPresent();
        assertThat(suspensions.holding(QUEUE, SITE, "ip-2")).isEmpty();
    }

    @Test
    void suspendTenantAndSuspendCampaignHoldThatMailToTheSiteFromEverySource() {
        Automation automation = automation("""
                regex = "TS04"
                action = ["SuspendTenant", "SuspendCampaign"]
                duration = "1h"
                """);

        assertThat(automation.observe(PATH, TS04, clock.instant())).hasSize(2);

        assertThat(suspensions.holding(QueueName.parse("autumn:acme@yahoo.com"), SITE, "ip-2")).as("tenant").isPresent();
        assertThat(suspensions.holding(QueueName.parse("spring:other@yahoo.com"), SITE, "ip-1")).as("other tenant").isEmpty();
        assertThat(suspensions.active(AdminRule.Kind.SUSPEND)).extracting(r -> r.selector().toString())
                .containsExactlyInAnyOrder("tenant=acme site=" + SITE, "tenant=acme campaign=spring site=" + SITE);
    }

    @Test
    void suspendTenantIsSkippedForMailWithoutATenant() {
        Automation automation = automation("""
                regex = "TS04"
                action = "SuspendTenant"
                duration = "1h"
                """);

        assertThat(automation.observe(new PathFacts("ip-1", SITE, Optional.empty(), Optional.empty(), "yahoo.com"), TS04,
                clock.instant())).isEmpty();
        assertThat(suspensions.active(AdminRule.Kind.SUSPEND)).as("never a hold on every tenant").isEmpty();
    }

    @Test
    void bounceAdminBouncesThePathsMailForTheDuration() {
        Automation automation = automation("""
                regex = "5\\\\.7\\\\.1 .*blocked"
                action = "Bounce"
                duration = "30m"
                """);

        automation.observe(PATH, SmtpReply.of(554, "5.7.1", "Service unavailable; client host blocked"), clock.instant());

        assertThat(suspensions.bouncing(QUEUE, SITE, "ip-1")).isPresent();
        assertThat(suspensions.bouncing(QUEUE, SITE, "ip-2")).isEmpty();
        clock.advance(Duration.ofMinutes(30));
        assertThat(suspensions.bouncing(QUEUE, SITE, "ip-1")).isEmpty();
    }

    @Test
    void setConfigOverridesShapingKeysOfThePathUntilTheyExpire() {
        Automation automation = automation("""
                regex = ['''Messages from \\d+\\.\\d+\\.\\d+\\.\\d+ temporarily deferred''']
                action = [ {SetConfig={name="max_message_rate", value="1/minute"}}, {SetConfig={name="connection_limit", value=1}} ]
                duration = "90m"
                """);
        List<String> changed = new ArrayList<>();
        overrides.addListener((source, site) -> changed.add(source + "->" + site));
        long before = overrides.generation(clock.instant());

        automation.observe(PATH, TS04, clock.instant());

        assertThat(overrides.activeFor("ip-1", SITE, clock.instant()))
                .isEqualTo(Map.of("max_message_rate", "1/minute", "connection_limit", 1L));
        assertThat(overrides.activeFor("ip-2", SITE, clock.instant())).isEmpty();
        assertThat(overrides.generation(clock.instant())).isGreaterThan(before);
        assertThat(changed).containsExactly("ip-1->" + SITE, "ip-1->" + SITE);
        assertThat(automation.appliedCount("SetConfig")).isEqualTo(2);

        clock.advance(Duration.ofMinutes(90));
        long during = overrides.generation(clock.instant().minusSeconds(1));
        assertThat(overrides.activeFor("ip-1", SITE, clock.instant())).isEmpty();
        assertThat(overrides.generation(clock.instant())).as("expiry is a change").isGreaterThan(during);
        assertThat(changed).hasSize(4);
    }

    @Test
    void overridesSurviveARestartAndExpiredOnesAreDropped() throws Exception {
        overrides.set("ip-1", SITE, "max_message_rate", "1/minute", Duration.ofHours(2), "test");
        overrides.set("ip-1", SITE, "connection_limit", 1L, Duration.ofMinutes(10), "test");
        overrides.set("ip-2", SITE, "enable_tls", true, Duration.ofHours(1), "test");
        overrides.set("ip-3", SITE, "ratio", 0.5, Duration.ofHours(1), "test");
        clock.advance(Duration.ofMinutes(20));

        ShapingOverrides reopened = new ShapingOverrides(clock, data);
        reopened.start();

        assertThat(reopened.activeFor("ip-1", SITE, clock.instant())).isEqualTo(Map.of("max_message_rate", "1/minute"));
        assertThat(reopened.activeFor("ip-2", SITE, clock.instant())).isEqualTo(Map.of("enable_tls", true));
        assertThat(reopened.activeFor("ip-3", SITE, clock.instant())).isEqualTo(Map.of("ratio", 0.5));
        assertThat(reopened.active(clock.instant())).hasSize(3);
    }

    @Test
    void aSetConfigWithANewValueReplacesTheActiveOne() {
        overrides.set("ip-1", SITE, "max_message_rate", "10/minute", Duration.ofHours(2), "earlier");
        Automation automation = automation("""
                regex = "TS04"
                action = {SetConfig={name="max_message_rate", value="1/minute"}}
                duration = "1h"
                """);

        automation.observe(PATH, TS04, clock.instant());

        assertThat(overrides.active(clock.instant())).singleElement().satisfies(o -> {
            assertThat(o.value()).isEqualTo("1/minute");
            assertThat(o.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        });
    }

    /** An engine whose only rule is one {@code [[provider."yahoo".automation]]} entry with {@code body}. */
    private Automation automation(String body) {
        String text = "[[provider.\"yahoo\".automation]]\n" + body;
        try {
            List<AutomationRule> rules = AutomationRules.parse(Path.of("shaping.toml"), "provider.\"yahoo\"",
                    Toml.parse(text).getTable(List.of("provider", "yahoo")));
            return Automation.local(path -> rules, suspensions, overrides, clock, new SimpleMeterRegistry());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
