package com.simplecallcenter.zohosync.sandbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The modules and fields the sandbox knows: a standard-layout subset of Leads, Contacts, Accounts, Deals, Calls,
 * Tasks and Notes, plus our custom {@code SCC_Call_ID} on Calls and Tasks. Field names not listed here are ignored on
 * writes, as Zoho ignores unknown API names.
 */
final class Schema {

    enum Type {
        TEXT("text"), TEXTAREA("textarea"), EMAIL("email"), PHONE("phone"), WEBSITE("website"),
        PICKLIST("picklist"), DATETIME("datetime"), DATE("date"), INTEGER("integer"), CURRENCY("currency"),
        BOOLEAN("boolean"), LOOKUP("lookup"), OWNER("ownerlookup"), SE_MODULE("text"), JSON("jsonobject");

        final String zohoName;

        Type(String zohoName) {
            this.zohoName = zohoName;
        }
    }

    /**
     * One field. {@code lookupModule} is the target of a lookup ({@code null} for the polymorphic What_Id);
     * {@code restricted} picklists reject values outside {@code picklist}.
     */
    record Field(String apiName, String label, Type type, int length, boolean mandatory, boolean custom,
                 boolean readOnly, List<String> picklist, boolean restricted, String lookupModule) {

        boolean textual() {
            return type == Type.TEXT || type == Type.TEXTAREA || type == Type.EMAIL || type == Type.PHONE
                    || type == Type.WEBSITE || type == Type.PICKLIST || type == Type.SE_MODULE;
        }
    }

    record Module(String apiName, String singular, Map<String, Field> fields, boolean upsertable,
                  boolean searchable, List<String> duplicateCheckFields) {

        Field field(String apiName) {
            return fields.get(apiName);
        }

        String scopeName() {
            return apiName.toLowerCase(Locale.ROOT);
        }
    }

    /** The modules Zoho documents for upsert: Calls, Tasks and Events are not among them. */
    static final List<String> UPSERT_MODULES = List.of("Leads", "Accounts", "Contacts", "Deals", "Campaigns", "Cases",
            "Solutions", "Products", "Vendors", "Price_Books", "Quotes", "Sales_Orders", "Purchase_Orders",
            "Invoices", "Appointments__s", "Services__s");

    static final List<String> CALL_TYPES = List.of("Inbound", "Outbound", "Missed");

    private static final Map<String, Module> MODULES = new LinkedHashMap<>();

    static {
        List<Field> common = List.of(
                ro("id", "Record Id", Type.TEXT),
                owner("Owner", "Owner"),
                ro("Created_Time", "Created Time", Type.DATETIME),
                ro("Modified_Time", "Modified Time", Type.DATETIME),
                roOwner("Created_By", "Created By"),
                roOwner("Modified_By", "Modified By"));

        module("Leads", "Lead", List.of("Email"), true, common,
                text("First_Name", "First Name", 40),
                mandatory(text("Last_Name", "Last Name", 80)),
                ro("Full_Name", "Lead Name", Type.TEXT),
                // the standard Leads layout marks Company mandatory
                mandatory(text("Company", "Company", 200)),
                text("Designation", "Title", 100),
                field("Email", "Email", Type.EMAIL, 100),
                field("Secondary_Email", "Secondary Email", Type.EMAIL, 100),
                field("Phone", "Phone", Type.PHONE, 30),
                field("Mobile", "Mobile", Type.PHONE, 30),
                field("Fax", "Fax", Type.PHONE, 30),
                field("Website", "Website", Type.WEBSITE, 255),
                picklist("Lead_Source", "Lead Source", "-None-", "Advertisement", "Cold Call", "Employee Referral",
                        "External Referral", "Online Store", "Partner", "Public Relations", "Sales Email Alias",
                        "Seminar Partner", "Internal Seminar", "Trade Show", "Web Download", "Web Research", "Chat"),
                picklist("Lead_Status", "Lead Status", "-None-", "Attempted to Contact", "Contact in Future",
                        "Contacted", "Junk Lead", "Lost Lead", "Not Contacted", "Pre-Qualified", "Not Qualified"),
                picklist("Industry", "Industry"),
                text("Street", "Street", 250), text("City", "City", 100), text("State", "State", 100),
                text("Zip_Code", "Zip Code", 30), text("Country", "Country", 100),
                field("Description", "Description", Type.TEXTAREA, 32000));

        module("Contacts", "Contact", List.of("Email"), true, common,
                text("First_Name", "First Name", 40),
                mandatory(text("Last_Name", "Last Name", 80)),
                ro("Full_Name", "Contact Name", Type.TEXT),
                field("Email", "Email", Type.EMAIL, 100),
                field("Secondary_Email", "Secondary Email", Type.EMAIL, 100),
                field("Phone", "Phone", Type.PHONE, 30),
                field("Mobile", "Mobile", Type.PHONE, 30),
                field("Home_Phone", "Home Phone", Type.PHONE, 30),
                field("Other_Phone", "Other Phone", Type.PHONE, 30),
                field("Asst_Phone", "Asst Phone", Type.PHONE, 30),
                field("Fax", "Fax", Type.PHONE, 30),
                lookup("Account_Name", "Account Name", "Accounts"),
                text("Title", "Title", 100), text("Department", "Department", 100),
                picklist("Lead_Source", "Lead Source"),
                text("Mailing_Street", "Mailing Street", 250), text("Mailing_City", "Mailing City", 100),
                text("Mailing_Country", "Mailing Country", 100),
                field("Description", "Description", Type.TEXTAREA, 32000));

        module("Accounts", "Account", List.of("Account_Name"), true, common,
                mandatory(text("Account_Name", "Account Name", 200)),
                field("Phone", "Phone", Type.PHONE, 30),
                field("Fax", "Fax", Type.PHONE, 30),
                field("Website", "Website", Type.WEBSITE, 255),
                picklist("Account_Type", "Account Type"),
                picklist("Industry", "Industry"),
                text("Billing_City", "Billing City", 100), text("Billing_Country", "Billing Country", 100),
                field("Description", "Description", Type.TEXTAREA, 32000));

        module("Deals", "Deal", List.of("Deal_Name"), true, common,
                mandatory(text("Deal_Name", "Deal Name", 120)),
                mandatory(picklist("Stage", "Stage", "Qualification", "Needs Analysis", "Value Proposition",
                        "Identify Decision Makers", "Proposal/Price Quote", "Negotiation/Review", "Closed Won",
                        "Closed Lost", "Closed Lost to Competition")),
                field("Amount", "Amount", Type.CURRENCY, 16),
                field("Closing_Date", "Closing Date", Type.DATE, 0),
                lookup("Account_Name", "Account Name", "Accounts"),
                lookup("Contact_Name", "Contact Name", "Contacts"),
                picklist("Pipeline", "Pipeline", "Standard (Standard)"),
                picklist("Type", "Type", "-None-", "Existing Business", "New Business"),
                picklist("Lead_Source", "Lead Source"),
                field("Probability", "Probability (%)", Type.INTEGER, 3),
                field("Description", "Description", Type.TEXTAREA, 32000));

        module("Calls", "Call", List.of(), false, common,
                mandatory(text("Subject", "Subject", 255)),
                new Field("Call_Type", "Call Type", Type.PICKLIST, 120, true, false, false, CALL_TYPES, true, null),
                mandatory(field("Call_Start_Time", "Call Start Time", Type.DATETIME, 0)),
                // mandatory for completed calls; a Scheduled call may omit it
                mandatory(text("Call_Duration", "Call Duration", 10)),
                ro("Call_Duration_in_seconds", "Call Duration (in seconds)", Type.INTEGER),
                picklist("Outgoing_Call_Status", "Outgoing Call Status", "Scheduled", "Completed", "Cancelled",
                        "Overdue"),
                picklist("Call_Purpose", "Call Purpose", "-None-", "Prospecting", "Administrative", "Negotiation",
                        "Demo", "Project", "Desk"),
                text("Call_Result", "Call Result", 255),
                text("Call_Agenda", "Call Agenda", 2000),
                field("Description", "Description", Type.TEXTAREA, 32000),
                lookup("Who_Id", "Contact Name", "Contacts"),
                lookup("What_Id", "Related To", null),
                field("$se_module", "Related Module", Type.SE_MODULE, 100),
                field("Caller_ID", "Caller ID", Type.PHONE, 30),
                field("Dialled_Number", "Dialled Number", Type.PHONE, 30),
                field("Voice_Recording__s", "Voice Recording", Type.WEBSITE, 2000),
                picklist("Reminder", "Reminder", "None", "5 mins", "10 mins", "15 mins", "30 mins"),
                field("CTI_Entry", "CTI Entry", Type.BOOLEAN, 0),
                custom(text("SCC_Call_ID", "SCC Call ID", 255)));

        module("Tasks", "Task", List.of(), false, common,
                mandatory(text("Subject", "Subject", 255)),
                field("Due_Date", "Due Date", Type.DATE, 0),
                picklist("Status", "Status", "Not Started", "Deferred", "In Progress", "Completed",
                        "Waiting for input"),
                picklist("Priority", "Priority", "High", "Highest", "Low", "Lowest", "Normal"),
                lookup("Who_Id", "Contact Name", "Contacts"),
                lookup("What_Id", "Related To", null),
                field("$se_module", "Related Module", Type.SE_MODULE, 100),
                field("Description", "Description", Type.TEXTAREA, 32000),
                field("Send_Notification_Email", "Send Notification Email", Type.BOOLEAN, 0),
                field("Remind_At", "Remind At", Type.JSON, 0),
                field("Recurring_Activity", "Recurring Activity", Type.JSON, 0),
                ro("Closed_Time", "Closed Time", Type.DATETIME),
                custom(text("SCC_Call_ID", "SCC Call ID", 255)));

        module("Notes", "Note", List.of(), false, common,
                text("Note_Title", "Note Title", 120),
                mandatory(field("Note_Content", "Note Content", Type.TEXTAREA, 32000)),
                mandatory(field("Parent_Id", "Parent ID", Type.JSON, 0)));
    }

    private Schema() {
    }

    /** Module by API name, case-insensitively as Zoho resolves it in URLs; {@code null} when unknown. */
    static Module module(String name) {
        if (name == null) {
            return null;
        }
        return MODULES.get(name.toLowerCase(Locale.ROOT));
    }

    static List<Module> modules() {
        return List.copyOf(MODULES.values());
    }

    private static void module(String apiName, String singular, List<String> dupCheck, boolean searchable,
                               List<Field> common, Field... own) {
        Map<String, Field> fields = new LinkedHashMap<>();
        List<Field> all = new ArrayList<>(common);
        all.addAll(Arrays.asList(own));
        for (Field f : all) {
            fields.put(f.apiName(), f);
        }
        MODULES.put(apiName.toLowerCase(Locale.ROOT), new Module(apiName, singular, fields,
                UPSERT_MODULES.contains(apiName), searchable, dupCheck));
    }

    private static Field field(String api, String label, Type type, int length) {
        return new Field(api, label, type, length, false, false, false, List.of(), false, null);
    }

    private static Field text(String api, String label, int length) {
        return field(api, label, Type.TEXT, length);
    }

    private static Field ro(String api, String label, Type type) {
        return new Field(api, label, type, 0, false, false, true, List.of(), false, null);
    }

    private static Field owner(String api, String label) {
        return new Field(api, label, Type.OWNER, 0, false, false, false, List.of(), false, null);
    }

    private static Field roOwner(String api, String label) {
        return new Field(api, label, Type.OWNER, 0, false, false, true, List.of(), false, null);
    }

    private static Field lookup(String api, String label, String target) {
        return new Field(api, label, Type.LOOKUP, 0, false, false, false, List.of(), false, target);
    }

    private static Field picklist(String api, String label, String... values) {
        return new Field(api, label, Type.PICKLIST, 120, false, false, false, List.of(values), false, null);
    }

    private static Field mandatory(Field f) {
        return new Field(f.apiName(), f.label(), f.type(), f.length(), true, f.custom(), f.readOnly(), f.picklist(),
                f.restricted(), f.lookupModule());
    }

    private static Field custom(Field f) {
        return new Field(f.apiName(), f.label(), f.type(), f.length(), f.mandatory(), true, f.readOnly(),
                f.picklist(), f.restricted(), f.lookupModule());
    }
}
