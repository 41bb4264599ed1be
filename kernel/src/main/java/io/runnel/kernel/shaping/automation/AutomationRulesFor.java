package io.runnel.kernel.shaping.automation;

import java.util.List;

/**
 * The automation rules that apply to a path: the shaping loader's {@code default} block, the provider blocks whose
 * match fits the site, and the domain's block, in that order. Asked on the delivery state thread for every failed
 * reply, so it must be cheap (cache by domain and site) and must not block. Rebind it with Guice's
 * {@code OptionalBinder.newOptionalBinder(binder(), AutomationRulesFor.class).setBinding()}.
 */
@FunctionalInterface
public interface AutomationRulesFor {

    /** No rules anywhere (the default until a shaping file is loaded). */
    AutomationRulesFor NONE = path -> List.of();

    List<AutomationRule> rulesFor(PathFacts path);
}
