package com.simplecallcenter.zohosync.sandbox;

import com.simplecallcenter.zohosync.sandbox.Schema.Field;
import com.simplecallcenter.zohosync.sandbox.Schema.Module;
import com.simplecallcenter.zohosync.sandbox.Schema.Type;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Search API's {@code criteria} language: {@code (Field:operator:value)} joined by {@code and}/{@code or} in
 * brackets, with {@code \(}, {@code \)}, {@code \,} and {@code \\} escapes. {@code equals} matches like
 * <em>contains</em>, as Zoho documents.
 */
final class SearchCriteria {

    static final int MAX_CRITERIA = 10;
    static final int MAX_IN_VALUES = 100;

    private static final Set<String> TEXT_OPS = Set.of("equals", "not_equal", "starts_with", "in");
    private static final Set<String> LOOKUP_OPS = Set.of("equals", "not_equal", "in");
    private static final Set<String> ORDERED_OPS = Set.of("equals", "not_equal", "in", "greater_than",
            "greater_equal", "less_than", "less_equal", "between");

    private final String text;
    private final Module module;
    private int pos;
    private int conditions;

    private SearchCriteria(String text, Module module) {
        this.text = text;
        this.module = module;
    }

    static Predicate<Map<String, Object>> parse(String criteria, Module module) {
        SearchCriteria p = new SearchCriteria(criteria.trim(), module);
        if (p.text.isEmpty() || p.text.charAt(0) != '(') {
            throw invalidQuery("criteria must be enclosed in brackets");
        }
        Predicate<Map<String, Object>> node = p.expression();
        p.skipSpaces();
        if (p.pos != p.text.length()) {
            throw invalidQuery("unexpected text after the criteria at position " + p.pos);
        }
        return node;
    }

    /** Case-insensitive substring: how Zoho's search treats {@code equals}, {@code email}, {@code phone}, {@code word}. */
    static boolean contains(Object stored, String value) {
        return stored != null && !(stored instanceof Map) && !(stored instanceof List)
                && stored.toString().toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
    }

    static void checkLength(String value) {
        if (value.trim().length() < 2) {
            throw ZohoError.invalidData("please check whether the input values are correct",
                    ZohoError.details("reason", "the search value must have at least 2 characters"));
        }
    }

    private Predicate<Map<String, Object>> expression() {
        expect('(');
        skipSpaces();
        if (peek() != '(') {
            return condition();
        }
        // a group: (expr) and|or (expr) ... ; "and" binds tighter than "or"
        List<List<Predicate<Map<String, Object>>>> ors = new ArrayList<>();
        List<Predicate<Map<String, Object>>> ands = new ArrayList<>();
        ands.add(expression());
        while (true) {
            skipSpaces();
            if (peek() == ')') {
                pos++;
                break;
            }
            String word = word();
            if ("or".equalsIgnoreCase(word)) {
                ors.add(ands);
                ands = new ArrayList<>();
            } else if (!"and".equalsIgnoreCase(word)) {
                throw invalidQuery("expected and/or at position " + pos);
            }
            skipSpaces();
            ands.add(expression());
        }
        ors.add(ands);
        return r -> ors.stream().anyMatch(chain -> chain.stream().allMatch(p -> p.test(r)));
    }

    private Predicate<Map<String, Object>> condition() {
        if (++conditions > MAX_CRITERIA) {
            throw invalidQuery("more than " + MAX_CRITERIA + " criteria");
        }
        String fieldName = until(':').trim();
        String op = until(':').trim().toLowerCase(Locale.ROOT);
        List<String> values = values();
        Field field = field(fieldName);
        boolean idField = "id".equals(field.apiName());
        Set<String> allowed = switch (field.type()) {
            case LOOKUP, OWNER -> LOOKUP_OPS;
            case DATETIME, DATE, INTEGER, CURRENCY -> ORDERED_OPS;
            case BOOLEAN -> Set.of("equals", "not_equal");
            case JSON -> Set.of();
            default -> idField ? LOOKUP_OPS : TEXT_OPS;
        };
        if (!allowed.contains(op)) {
            throw new ZohoError(400, "INVALID_QUERY", "invalid query formed",
                    ZohoError.details("api_name", field.apiName(), "operator", op,
                            "reason", "the operator is not supported for the field"));
        }
        boolean list = op.equals("in") || op.equals("between");
        if (!list && values.size() > 1) {
            throw invalidQuery("unescaped comma in the value of " + field.apiName());
        }
        if (op.equals("between") && values.size() != 2) {
            throw invalidQuery("between needs two values");
        }
        if (values.size() > MAX_IN_VALUES) {
            throw invalidQuery("more than " + MAX_IN_VALUES + " values for in");
        }
        values.forEach(SearchCriteria::checkLength);
        String api = field.apiName();
        boolean exact = idField || field.type() == Type.LOOKUP || field.type() == Type.OWNER
                || field.type() == Type.BOOLEAN;
        return switch (op) {
            case "equals" -> r -> matches(r.get(api), values.get(0), exact, field);
            case "not_equal" -> r -> !matches(r.get(api), values.get(0), exact, field);
            case "in" -> r -> values.stream().anyMatch(v -> matches(r.get(api), v, exact, field));
            case "starts_with" -> r -> r.get(api) != null
                    && r.get(api).toString().toLowerCase(Locale.ROOT).startsWith(values.get(0).toLowerCase(Locale.ROOT));
            case "greater_than" -> r -> r.get(api) != null && compare(r.get(api), values.get(0), field) > 0;
            case "greater_equal" -> r -> r.get(api) != null && compare(r.get(api), values.get(0), field) >= 0;
            case "less_than" -> r -> r.get(api) != null && compare(r.get(api), values.get(0), field) < 0;
            case "less_equal" -> r -> r.get(api) != null && compare(r.get(api), values.get(0), field) <= 0;
            case "between" -> r -> r.get(api) != null && compare(r.get(api), values.get(0), field) >= 0
                    && compare(r.get(api), values.get(1), field) <= 0;
            default -> throw new IllegalStateException(op);
        };
    }

    private Field field(String name) {
        Field f = module.field(name);
        if (f == null) {
            f = module.fields().values().stream().filter(x -> x.apiName().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new ZohoError(400, "INVALID_QUERY", "invalid query formed",
                            ZohoError.details("api_name", name, "reason", "the given field is not available")));
        }
        return f;
    }

    private static boolean matches(Object stored, String value, boolean exact, Field field) {
        if (stored instanceof Map<?, ?> ref) {
            return ref.get("id") != null && ref.get("id").toString().equals(value);
        }
        if (stored == null) {
            return false;
        }
        if (exact) {
            return stored.toString().equalsIgnoreCase(value);
        }
        if (field.type() == Type.DATETIME || field.type() == Type.DATE || field.type() == Type.INTEGER
                || field.type() == Type.CURRENCY) {
            return compare(stored, value, field) == 0;
        }
        return contains(stored, value);
    }

    /** Orders a non-null stored value against a criteria value of the field's type. */
    private static int compare(Object stored, String value, Field field) {
        try {
            return switch (field.type()) {
                case DATETIME -> Integer.signum(OffsetDateTime.parse(stored.toString()).toInstant()
                        .compareTo(OffsetDateTime.parse(value).toInstant()));
                case DATE -> Integer.signum(LocalDate.parse(stored.toString()).compareTo(LocalDate.parse(value)));
                default -> Integer.signum(new BigDecimal(stored.toString()).compareTo(new BigDecimal(value)));
            };
        } catch (RuntimeException e) {
            throw new ZohoError(400, "INVALID_QUERY", "invalid query formed", ZohoError.details(
                    "api_name", field.apiName(), "expected_data_type", field.type().zohoName));
        }
    }

    // ---- scanning

    private List<String> values() {
        List<String> values = new ArrayList<>();
        StringBuilder v = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw invalidQuery("unbalanced brackets");
            }
            char c = text.charAt(pos++);
            if (c == '\\') {
                if (pos >= text.length()) {
                    throw invalidQuery("dangling escape");
                }
                v.append(text.charAt(pos++));
            } else if (c == ')') {
                values.add(v.toString());
                return values;
            } else if (c == ',') {
                values.add(v.toString());
                v.setLength(0);
            } else if (c == '(') {
                throw invalidQuery("unescaped ( in a value at position " + (pos - 1));
            } else {
                v.append(c);
            }
        }
    }

    private String until(char stop) {
        int i = text.indexOf(stop, pos);
        int close = text.indexOf(')', pos);
        if (i < 0 || (close >= 0 && close < i)) {
            throw invalidQuery("expected (field:operator:value) at position " + pos);
        }
        String s = text.substring(pos, i);
        pos = i + 1;
        return s;
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void expect(char c) {
        skipSpaces();
        if (peek() != c) {
            throw invalidQuery("expected " + c + " at position " + pos);
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    private static ZohoError invalidQuery(String reason) {
        return new ZohoError(400, "INVALID_QUERY", "invalid query formed", ZohoError.details("reason", reason));
    }
}
