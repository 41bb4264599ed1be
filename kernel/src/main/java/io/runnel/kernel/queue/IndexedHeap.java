package io.runnel.kernel.queue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binary min-heap in a plain array whose elements know their slot, so a given element moves or leaves in O(log n),
 * never found by a scan. Grows by half and gives memory back once a quarter full (queues come and go by the hundred
 * thousand). A scheduled queue keeps its messages in one, the scheduler its queues by their first message. Not
 * thread-safe.
 */
final class IndexedHeap<T extends IndexedHeap.Member<T>> {

    /** An element: ordered against the others, and told where it sits. */
    interface Member<T> {
        /** Whether this belongs at or above {@code other}. */
        boolean before(T other);

        /** Where it sits; -1 while not in a heap. */
        int slot();

        void slot(int slot);
    }

    private static final int INITIAL = 2;

    private Member<?>[] heap = new Member<?>[INITIAL];
    private int size;

    int size() {
        return size;
    }

    /** The element at the top, or null when empty. */
    T first() {
        return size == 0 ? null : get(0);
    }

    /** The element in slot {@code i} (0 &le; i &lt; size), in no particular order but the heap's. */
    @SuppressWarnings("unchecked")
    T get(int i) {
        return (T) heap[i];
    }

    boolean contains(T element) {
        int slot = element.slot();
        return slot >= 0 && slot < size && heap[slot] == element;
    }

    void add(T element) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size + (size >> 1) + 1);
        }
        place(element, size++);
        siftUp(element.slot());
    }

    void remove(T element) {
        int slot = element.slot();
        element.slot(-1);
        size--;
        T last = get(size);
        heap[size] = null;
        if (slot != size) {
            place(last, slot);
            resift(last);
        }
        if (heap.length > INITIAL && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, Math.max(INITIAL, size * 2));
        }
    }

    /** Moves {@code element}, already in the heap, to where its changed order puts it. */
    void resift(T element) {
        int slot = element.slot();
        siftDown(slot);
        if (heap[slot] == element) {
            siftUp(slot);
        }
    }

    /** Every element, in no particular order. */
    List<T> elements() {
        List<T> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(get(i));
        }
        return all;
    }

    private void siftUp(int slot) {
        T element = get(slot);
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (get(parent).before(element)) {
                break;
            }
            place(get(parent), slot);
            slot = parent;
        }
        place(element, slot);
    }

    private void siftDown(int slot) {
        T element = get(slot);
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < size && !get(child).before(get(right))) {
                child = right;
            }
            if (element.before(get(child))) {
                break;
            }
            place(get(child), slot);
            slot = child;
        }
        place(element, slot);
    }

    private void place(T element, int slot) {
        heap[slot] = element;
        element.slot(slot);
    }
}
