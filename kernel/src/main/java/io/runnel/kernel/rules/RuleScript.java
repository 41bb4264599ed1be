package io.runnel.kernel.rules;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.Script;
import java.util.ArrayList;
import java.util.List;

/**
 * The base class of every {@code rules/*.groovy} script: the rule DSL. A script's top level runs once, when the
 * file is loaded, and registers one closure per phase; the closures then run per message (or per ready queue),
 * each with a fresh context object as its delegate:
 *
 * <pre>
 * reception { tenant 'acme'; pool 'acme-ips'; addHeader 'X-Acme', 'yes' }   // a {@link ReceptionRule}
 * egress    { if (pool == 'acme-ips' &amp;&amp; domain == 'gmail.com') connectionLimit 4 }  // an {@link EgressRule}
 * outcome   { if (code == 450 &amp;&amp; text.contains('mailbox unavailable')) bounce() } // an {@link OutcomeRule}
 * </pre>
 */
public abstract class RuleScript extends Script {

    private final List<Closure<?>> reception = new ArrayList<>();
    private final List<Closure<?>> egress = new ArrayList<>();
    private final List<Closure<?>> outcome = new ArrayList<>();

    /** Registers a rule run for each received message, before scanning, signing and the spool commit. */
    public void reception(@DelegatesTo(value = ReceptionRule.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        reception.add(body);
    }

    /** Registers a rule run when a ready queue (egress source, destination site) is set up: its delivery limits. */
    public void egress(@DelegatesTo(value = EgressRule.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        egress.add(body);
    }

    /** Registers a rule run for each failed delivery attempt (4xx or 5xx) of this tenant's mail. */
    public void outcome(@DelegatesTo(value = OutcomeRule.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        outcome.add(body);
    }

    List<Closure<?>> receptionRules() {
        return List.copyOf(reception);
    }

    List<Closure<?>> egressRules() {
        return List.copyOf(egress);
    }

    List<Closure<?>> outcomeRules() {
        return List.copyOf(outcome);
    }
}
