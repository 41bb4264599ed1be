package io.runnel.kernel.config;

import java.util.List;
import java.util.Objects;

/** One {@code [[egress.pool]]}: sources with weights; a message of the pool leaves through one of them. */
public record EgressPool(String name, List<Member> members) {

    public EgressPool {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a pool needs at least one source");
        }
    }

    /** A source of the pool and its share of the pool's traffic. */
    public record Member(String source, int weight) {
        public Member {
            Objects.requireNonNull(source, "source");
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1");
            }
        }
    }
}
