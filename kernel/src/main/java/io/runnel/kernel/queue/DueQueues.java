package io.runnel.kernel.queue;

import java.util.Arrays;

/**
 * The scheduled queues that hold anything, the one whose first message is due soonest first: the scheduler's tick
 * takes only queues with something due, however many queues there are (with a hundred thousand queues, looking at
 * each of them every tick cost a sixth of a core while nothing was due). An indexed binary heap: each queue knows
 * its slot, so a queue whose first message changed moves in O(log n). Confined to the {@link QueueManager}'s lock.
 */
final class DueQueues {

    private ScheduledQueue[] heap = new ScheduledQueue[16];
    private int size;

    /** Puts {@code queue} where its first message's due time belongs; takes it out when it is empty. */
    void update(ScheduledQueue queue) {
        if (queue.size() == 0) {
            remove(queue);
            return;
        }
        int slot = queue.dueSlot();
        if (slot < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            slot = size++;
            place(queue, slot);
        }
        siftDown(slot);
        if (heap[slot] == queue) {
            siftUp(slot);
        }
    }

    void remove(ScheduledQueue queue) {
        int slot = queue.dueSlot();
        if (slot < 0) {
            return;
        }
        queue.dueSlot(-1);
        size--;
        ScheduledQueue last = heap[size];
        heap[size] = null;
        if (slot == size) {
            return;
        }
        place(last, slot);
        siftDown(slot);
        if (heap[slot] == last) {
            siftUp(slot);
        }
    }

    /** The queue whose first message is due soonest, or null. */
    ScheduledQueue first() {
        return size == 0 ? null : heap[0];
    }

    int size() {
        return size;
    }

    private void siftUp(int slot) {
        ScheduledQueue queue = heap[slot];
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (heap[parent].comesBefore(queue)) {
                break;
            }
            place(heap[parent], slot);
            slot = parent;
        }
        place(queue, slot);
    }

    private void siftDown(int slot) {
        ScheduledQueue queue = heap[slot];
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < size && heap[right].comesBefore(heap[child])) {
                child = right;
            }
            if (!heap[child].comesBefore(queue)) {
                break;
            }
            place(heap[child], slot);
            slot = child;
        }
        place(queue, slot);
    }

    private void place(ScheduledQueue queue, int slot) {
        heap[slot] = queue;
        queue.dueSlot(slot);
    }
}
