package com.simplecallcenter.zohosync.ops;

/**
 * Text that a sender or Zoho chose, made fit for one log line: CR, LF and every other control character (and the
 * Unicode line and paragraph separators) are written as escapes, so such a value cannot start a forged log line.
 */
public final class LogSafe {

    private LogSafe() {
    }

    /** {@code "a\r\nINFO forged"} → {@code "a\\r\\nINFO forged"}; null stays null. */
    public static String text(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escape = switch (c) {
                case '\r' -> "\\r";
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (escape != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (escape != null) {
                    sb.append(escape);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
