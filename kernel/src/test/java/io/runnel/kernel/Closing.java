package io.runnel.kernel;

/** Test teardown: closes what a test started, in the order given, skipping what it never got to start. */
public final class Closing {

    private Closing() {
    }

    public static void all(AutoCloseable... started) throws Exception {
        for (AutoCloseable resource : started) {
            if (resource != null) {
                resource.close();
            }
        }
    }
}
