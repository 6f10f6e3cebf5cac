package io.concord.data.graph;

import java.util.Arrays;

/** A growable int array (no boxing) for the readers. */
final class IntList {

    private int[] data;
    private int size;

    IntList(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, data.length + (data.length >> 1) + 1);
        }
        data[size++] = v;
    }

    int get(int i) {
        return data[i];
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    int[] array() {
        return data;
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
