package io.runnel.kernel.plugin;

import io.runnel.api.smtp.SmtpReply;

/** What the caller does when a plugin call fails or misses its deadline (Postfix {@code default_action}). */
public enum OnFailure {
    /** Answer the client with a temporary failure, {@link #TEMPFAIL_REPLY}, so it retries later. */
    TEMPFAIL,
    /** Carry on as if the plugin had not been asked (log sinks, optional scanners). */
    CONTINUE;

    /** Bland on purpose: the peer never learns which plugin failed or why (STYLE C9). */
    public static final SmtpReply TEMPFAIL_REPLY = SmtpReply.of(451, "4.3.5", "Temporary local problem, try again later");
}
