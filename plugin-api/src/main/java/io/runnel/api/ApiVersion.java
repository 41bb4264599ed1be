package io.runnel.api;

/**
 * The plugin API version. Plugins declare the range they work with in their manifest, e.g.
 * {@code Plugin-Requires: >=1.0.0 & <2.0.0}; the kernel refuses a plugin whose range excludes this version.
 *
 * @since API 1.0
 */
public final class ApiVersion {

    public static final String CURRENT = "1.1.0";

    private ApiVersion() {
    }
}
