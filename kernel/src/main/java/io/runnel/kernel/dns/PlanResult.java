package io.runnel.kernel.dns;

/**
 * Where mail for one recipient domain goes: a {@link DeliveryPlan}, or a {@link PlanFailure} that says why there
 * is none and whether to try again.
 */
public sealed interface PlanResult permits DeliveryPlan, PlanFailure {
}
