package com.simplecallcenter.zohosync.ops;

/** Masks personal data for logs: enough to recognise a value, not enough to recover it. */
public final class Mask {

    private Mask() {
    }

    /** {@code +14155550134} → {@code +1415*****34}. */
    public static String phone(String phone) {
        if (phone == null || phone.isEmpty()) {
            return "-";
        }
        if ("anonymous".equals(phone)) {
            return phone;
        }
        if (phone.length() <= 6) {
            return "***";
        }
        int keepHead = Math.max(1, Math.min(5, phone.length() - 7));
        return phone.substring(0, keepHead) + "*".repeat(phone.length() - keepHead - 2) + phone.substring(phone.length() - 2);
    }

    /** {@code pat.lee@example.com} → {@code p***@e***.com}. */
    public static String email(String email) {
        if (email == null || email.isEmpty()) {
            return "-";
        }
        int at = email.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        String domain = email.substring(at + 1);
        int dot = domain.lastIndexOf('.');
        String tld = dot >= 0 ? domain.substring(dot) : "";
        return email.charAt(0) + "***@" + (domain.isEmpty() ? "" : domain.charAt(0) + "***") + tld;
    }
}
