package io.runnel.kernel.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Adds, removals and key changes in any order keep the smallest on top and every slot true. */
class IndexedHeapTest {

    /** An element whose key changes, as a queue's first due message does. */
    private static final class Item implements IndexedHeap.Member<Item> {
        private final int id;
        private long key;
        private int slot = -1;

        Item(int id, long key) {
            this.id = id;
            this.key = key;
        }

        @Override
        public boolean before(Item other) {
            return key < other.key || key == other.key && id <= other.id;
        }

        @Override
        public int slot() {
            return slot;
        }

        @Override
        public void slot(int slot) {
            this.slot = slot;
        }
    }

    @Test
    void theSmallestIsOnTopThroughRandomAddsRemovalsAndKeyChanges() {
        IndexedHeap<Item> heap = new IndexedHeap<>();
        List<Item> in = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        Comparator<Item> order = Comparator.<Item>comparingLong(i -> i.key).thenComparingInt(i -> i.id);
        for (int step = 0; step < 50_000; step++) {
            int op = random.nextInt(10);
            boolean growing = step % 10_000 < 6_000; // grows to thousands, drains (the array shrinks), grows again
            if (op < (growing ? 5 : 2) || in.isEmpty()) {
                Item item = new Item(step, random.nextLong(1_000));
                heap.add(item);
                in.add(item);
            } else if (op < 7) {
                Item item = in.remove(random.nextInt(in.size()));
                heap.remove(item);
                assertThat(heap.contains(item)).isFalse();
                assertThat(item.slot()).isEqualTo(-1);
            } else {
                Item item = in.get(random.nextInt(in.size()));
                item.key = random.nextLong(1_000);
                heap.resift(item);
            }
            assertThat(heap.size()).isEqualTo(in.size());
            assertThat(heap.first()).isEqualTo(in.stream().min(order).orElse(null));
            if (step % 5_000 == 0) {
                for (int i = 0; i < heap.size(); i++) {
                    assertThat(heap.get(i).slot()).isEqualTo(i);
                }
                assertThat(heap.elements()).containsExactlyInAnyOrderElementsOf(in);
            }
        }
    }
}
