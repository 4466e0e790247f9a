package com.simplecallcenter.zohosync.sync;

/** What the sync does about the call's Lead or Contact, as {@link PersonMatcher#match} decides; sync-call branches on it. */
public enum PersonAction {
    /** Already linked: by an earlier run of this call, or to a record this service created. */
    LINKED,
    /** Matched in Zoho: the optional route contact-updates may fill its empty fields. */
    FOUND,
    /** Nobody matched: create a Lead ({@code scc.zoho.create-missing=Leads}). */
    CREATE_LEAD("Leads"),
    /** Nobody matched: create a Contact ({@code scc.zoho.create-missing=Contacts}). */
    CREATE_CONTACT("Contacts"),
    /** Nobody to link: no usable number or email, or {@code scc.zoho.create-missing=none}. */
    NONE;

    private final String module;

    PersonAction() {
        this(null);
    }

    PersonAction(String module) {
        this.module = module;
    }

    /** The Zoho module a create makes its record in; null when nothing is created. */
    public String module() {
        return module;
    }

    /** The create for {@code scc.zoho.create-missing}: {@code Leads}, {@code Contacts} or {@code none}. */
    static PersonAction createMissing(String setting) {
        return switch (setting) {
            case "Leads" -> CREATE_LEAD;
            case "Contacts" -> CREATE_CONTACT;
            default -> NONE;
        };
    }
}
