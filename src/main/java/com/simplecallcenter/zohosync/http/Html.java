package com.simplecallcenter.zohosync.http;

/** HTML escaping for every page the service renders (the admin page, the OAuth consent pages). */
public final class Html {

    private Html() {
    }

    /** Text for HTML: the five characters that could open markup or leave an attribute, escaped; null is empty. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
