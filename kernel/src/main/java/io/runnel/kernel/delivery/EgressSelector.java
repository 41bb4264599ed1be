package io.runnel.kernel.delivery;

import io.runnel.kernel.config.DeliveryConfig;
import io.runnel.kernel.config.EgressPool;
import io.runnel.kernel.config.EgressSource;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Picks the egress source for a message: the pool a rule chose, else its tenant's pool; then a source by weight. */
final class EgressSelector {

    private final RandomGenerator random;

    EgressSelector(RandomGenerator random) {
        this.random = random;
    }

    record Choice(EgressPool pool, EgressSource source) {
    }

    /** Not thread-safe (the random generator is not): call from the delivery state thread. */
    Choice choose(DeliveryConfig config, Optional<String> tenant, Optional<String> chosenPool) {
        EgressPool pool = chosenPool.map(config.pools()::get).orElseGet(() -> config.poolFor(tenant));
        int total = pool.members().stream().mapToInt(EgressPool.Member::weight).sum();
        int ticket = random.nextInt(total);
        for (EgressPool.Member member : pool.members()) {
            ticket -= member.weight();
            if (ticket < 0) {
                return new Choice(pool, config.sources().get(member.source()));
            }
        }
        throw new IllegalStateException("weights of pool " + pool.name() + " do not add up");
    }
}
