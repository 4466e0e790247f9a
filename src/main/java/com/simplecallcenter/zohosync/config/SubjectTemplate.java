package com.simplecallcenter.zohosync.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule of a Call subject template ({@code scc.zoho.call-subject-template}, and a tenant's {@code subjectTemplate}):
 * its placeholders, what a valid one is, and how it is rendered. One pass over the template: a value that itself looks
 * like a placeholder is written as it is. The admin page's script renders the same way (admin.js), for its preview.
 */
public final class SubjectTemplate {

    /** The placeholders, in the order the help lists them. */
    public static final List<String> PLACEHOLDERS = List.of("Direction", "direction", "fromTo", "number", "status", "agent", "callId");
    /** Zoho's Subject holds 255 characters; a longer template could never be written whole. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    private SubjectTemplate() {
    }

    /** Why the template is refused, or empty when it is a valid one. */
    public static Optional<String> problem(String template) {
        if (template == null || template.isBlank()) {
            return Optional.of("must not be empty; placeholders: " + known());
        }
        if (template.length() > MAX_LENGTH) {
            return Optional.of("is " + template.length() + " characters long; at most " + MAX_LENGTH + " (a Call's Subject holds 255)");
        }
        if (template.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("must be one line without control characters");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                return Optional.of("has an unknown placeholder {" + m.group(1) + "}; known: " + known());
            }
        }
        return Optional.empty();
    }

    /** The placeholders as a template writes them: {@code {Direction}, {direction}, …}. */
    public static String known() {
        return String.join(", ", PLACEHOLDERS.stream().map(p -> "{" + p + "}").toList());
    }

    /** The subject: each known placeholder replaced by its value (an unknown one is left as written), trimmed. */
    public static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(out);
        return out.toString().trim();
    }
}
