package com.simplecallcenter.zohosync.sandbox;

import com.simplecallcenter.zohosync.sandbox.Schema.Field;
import com.simplecallcenter.zohosync.sandbox.Schema.Module;
import com.simplecallcenter.zohosync.sandbox.Schema.Type;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A small COQL: {@code select <columns> from <Module> where <conditions> [order by c [asc|desc], …]
 * [limit N [offset M] | limit M, N]} with {@code = != > >= < <= like, not like, in, not in, between, not between,
 * is null, is not null}, brackets, and one level of dotted lookup columns ({@code Owner.email},
 * {@code Who_Id.Last_Name}). Reads live data: unlike search, no index delay.
 */
final class Coql {

    static final int MAX_LIMIT = 2000;
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_IN = 50;
    static final int MAX_COLUMNS = 50;
    static final int MAX_CRITERIA = 25;
    static final int MAX_REACHABLE = 100_000;

    private static final Set<String> RESERVED = Set.of("select", "from", "where", "and", "or", "not", "like", "in",
            "is", "null", "between", "order", "by", "asc", "desc", "limit", "offset");

    /** A parsed query, evaluated later under the store lock against the records of {@link #module}. */
    record Query(Module module, List<String> columns, Predicate<Row> where, Comparator<Row> order, int limit,
                 int offset) {

        int credits() {
            return limit <= 200 ? 1 : limit <= 1000 ? 2 : 3;
        }
    }

    /** A record plus a way to follow its lookups. */
    record Row(Map<String, Object> record, Function<String, Object> resolver) {
        Object get(String column) {
            return resolver.apply(column);
        }
    }

    private enum Kind { IDENT, STRING, NUMBER, SYMBOL, END }

    private record Token(Kind kind, String text) {
        boolean is(String word) {
            return (kind == Kind.IDENT || kind == Kind.SYMBOL) && text.equalsIgnoreCase(word);
        }
    }

    private final List<Token> tokens;
    private int pos;
    private Module module;
    private int criteria;

    private Coql(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Query parse(String query) {
        if (query == null || query.isBlank()) {
            throw syntax("select_query is empty");
        }
        return new Coql(tokenize(query)).query();
    }

    private Query query() {
        expectWord("select");
        List<String> rawColumns = new ArrayList<>();
        do {
            Token t = next();
            if (t.kind() != Kind.IDENT || RESERVED.contains(t.text().toLowerCase(Locale.ROOT))) {
                throw syntax("expected a column name near '" + t.text() + "'");
            }
            rawColumns.add(t.text());
        } while (accept(","));
        if (rawColumns.size() > MAX_COLUMNS) {
            throw new ZohoError(400, "LIMIT_EXCEEDED", "select columns limit exceeded",
                    ZohoError.details("limit", MAX_COLUMNS));
        }
        expectWord("from");
        Token m = next();
        module = Schema.module(m.text());
        if (m.kind() != Kind.IDENT || module == null) {
            throw new ZohoError(400, "INVALID_QUERY", "invalid module given",
                    ZohoError.details("module", m.text()));
        }
        List<String> columns = new ArrayList<>();
        for (String c : rawColumns) {
            columns.add(column(c));
        }
        if (!peek().is("where")) {
            throw syntax("WHERE clause is required");
        }
        next();
        Predicate<Row> where = condition();
        Comparator<Row> order = Comparator.comparing(r -> new BigDecimal(r.record().get("id").toString()));
        if (peek().is("order")) {
            next();
            expectWord("by");
            Comparator<Row> c = null;
            do {
                String col = column(next().text());
                boolean desc = false;
                if (peek().is("asc") || peek().is("desc")) {
                    desc = next().is("desc");
                }
                Comparator<Row> one = Comparator.comparing(r -> sortable(r.get(col)),
                        Comparator.nullsFirst(Comparator.naturalOrder()));
                if (desc) {
                    one = one.reversed();
                }
                c = c == null ? one : c.thenComparing(one);
            } while (accept(","));
            order = c.thenComparing(order);
        }
        int limit = DEFAULT_LIMIT;
        int offset = 0;
        if (peek().is("limit")) {
            next();
            int a = integer();
            if (accept(",")) {
                offset = a;
                limit = integer();
            } else {
                limit = a;
                if (peek().is("offset")) {
                    next();
                    offset = integer();
                }
            }
        }
        if (peek().kind() != Kind.END) {
            throw syntax("unexpected '" + peek().text() + "'");
        }
        if (limit < 1) {
            throw syntax("limit must be positive");
        }
        if (limit > MAX_LIMIT) {
            throw new ZohoError(400, "LIMIT_EXCEEDED", "limit exceeded", ZohoError.details("limit", MAX_LIMIT));
        }
        if ((long) offset + limit > MAX_REACHABLE) {
            throw new ZohoError(400, "LIMIT_EXCEEDED", "offset exceeded",
                    ZohoError.details("limit", MAX_REACHABLE));
        }
        return new Query(module, columns, where, order, limit, offset);
    }

    /** {@code A and B} is fine; a third criterion at the same level needs brackets, as Zoho's COQL says. */
    private Predicate<Row> condition() {
        Predicate<Row> left = primary();
        if (peek().is("and") || peek().is("or")) {
            boolean and = next().is("and");
            Predicate<Row> right = primary();
            if (peek().is("and") || peek().is("or")) {
                throw syntax("more than two criteria need brackets, e.g. ((A and B) and C)");
            }
            return and ? left.and(right) : left.or(right);
        }
        return left;
    }

    private Predicate<Row> primary() {
        if (accept("(")) {
            Predicate<Row> inner = condition();
            expect(")");
            return inner;
        }
        if (++criteria > MAX_CRITERIA) {
            throw new ZohoError(400, "LIMIT_EXCEEDED", "criteria limit exceeded",
                    ZohoError.details("limit", MAX_CRITERIA));
        }
        Token c = next();
        if (c.kind() != Kind.IDENT) {
            throw syntax("expected a column near '" + c.text() + "'");
        }
        String col = column(c.text());
        Field field = fieldOf(col);
        Token op = next();
        if (op.is("is")) {
            boolean not = peek().is("not");
            if (not) {
                next();
            }
            expectWord("null");
            return not ? r -> !Writes.blank(r.get(col)) : r -> Writes.blank(r.get(col));
        }
        boolean not = false;
        if (op.is("not")) {
            not = true;
            op = next();
        }
        Predicate<Row> p;
        if (op.is("like")) {
            Pattern like = like(literal());
            p = r -> r.get(col) != null && !(r.get(col) instanceof Map) && like.matcher(r.get(col).toString()).matches();
        } else if (op.is("in")) {
            expect("(");
            List<Object> values = new ArrayList<>();
            do {
                values.add(literal());
            } while (accept(","));
            expect(")");
            if (values.size() > MAX_IN) {
                throw new ZohoError(400, "LIMIT_EXCEEDED", "in clause values limit exceeded",
                        ZohoError.details("limit", MAX_IN));
            }
            p = r -> values.stream().anyMatch(v -> compare(r.get(col), v, field) == 0);
        } else if (op.is("between")) {
            Object lo = literal();
            expectWord("and");
            Object hi = literal();
            p = r -> r.get(col) != null && compare(r.get(col), lo, field) >= 0 && compare(r.get(col), hi, field) <= 0;
        } else if (!not && op.kind() == Kind.SYMBOL) {
            Object v = literal();
            p = switch (op.text()) {
                case "=" -> r -> compare(r.get(col), v, field) == 0;
                case "!=", "<>" -> r -> r.get(col) != null && compare(r.get(col), v, field) != 0;
                case ">" -> r -> r.get(col) != null && compare(r.get(col), v, field) > 0;
                case ">=" -> r -> r.get(col) != null && compare(r.get(col), v, field) >= 0;
                case "<" -> r -> r.get(col) != null && compare(r.get(col), v, field) < 0;
                case "<=" -> r -> r.get(col) != null && compare(r.get(col), v, field) <= 0;
                default -> throw syntax("unknown comparator '" + op.text() + "'");
            };
        } else {
            throw syntax("unknown comparator near '" + op.text() + "'");
        }
        if (not) {
            Predicate<Row> positive = p;
            return r -> r.get(col) != null && !positive.test(r);
        }
        return p;
    }

    /** Validates a column; returns its canonical spelling. Unknown → INVALID_QUERY with details.column_name. */
    private String column(String raw) {
        String[] parts = raw.split("\\.", -1);
        Field base = lookupField(module, parts[0]);
        if (base == null || parts.length > 2) {
            throw invalidColumn(raw);
        }
        if (parts.length == 1) {
            return base.apiName();
        }
        String sub = parts[1];
        if (base.type() == Type.OWNER) {
            if (!Set.of("id", "email", "full_name", "first_name", "last_name", "status", "name").contains(sub)) {
                throw invalidColumn(raw);
            }
            return base.apiName() + "." + sub;
        }
        Module target = base.type() == Type.LOOKUP ? Schema.module(base.lookupModule()) : null;
        Field subField = target == null ? null : lookupField(target, sub);
        if (subField == null) {
            throw invalidColumn(raw);
        }
        return base.apiName() + "." + subField.apiName();
    }

    private Field fieldOf(String column) {
        int dot = column.indexOf('.');
        if (dot < 0) {
            return module.field(column);
        }
        Field base = module.field(column.substring(0, dot));
        if (base.type() == Type.OWNER) {
            return new Field(column, column, Type.TEXT, 0, false, false, true, List.of(), false, null);
        }
        return Schema.module(base.lookupModule()).field(column.substring(dot + 1));
    }

    private static Field lookupField(Module m, String name) {
        Field f = m.field(name);
        if (f != null) {
            return f;
        }
        return m.fields().values().stream().filter(x -> x.apiName().equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    /** Equality and order of a stored value against a literal; lookups compare by id, text case-insensitively. */
    static int compare(Object stored, Object literal, Field field) {
        if (stored == null || literal == null) {
            return stored == literal ? 0 : 1;
        }
        if (stored instanceof Map<?, ?> ref) {
            stored = ref.get("id");
            if (stored == null) {
                return 1;
            }
        }
        if (field != null && field.type() == Type.DATETIME) {
            try {
                return OffsetDateTime.parse(stored.toString()).toInstant()
                        .compareTo(OffsetDateTime.parse(literal.toString()).toInstant());
            } catch (RuntimeException e) {
                return stored.toString().compareTo(literal.toString());
            }
        }
        if (literal instanceof BigDecimal n) {
            try {
                return new BigDecimal(stored.toString()).compareTo(n);
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        if (literal instanceof Boolean b) {
            return stored.toString().equalsIgnoreCase(b.toString()) ? 0 : 1;
        }
        return stored.toString().compareToIgnoreCase(literal.toString());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable sortable(Object v) {
        if (v instanceof Map<?, ?> m) {
            v = m.get("name") != null ? m.get("name") : m.get("id");
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return v == null ? null : v.toString().toLowerCase(Locale.ROOT);
    }

    /** {@code %} is the only wildcard: {@code '%x%'} → {@code .*x.*}, matched case-insensitively. */
    private static Pattern like(Object literal) {
        String regex = String.join(".*", java.util.Arrays.stream(String.valueOf(literal).split("%", -1))
                .map(x -> x.isEmpty() ? "" : Pattern.quote(x)).toList());
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    // ---- tokens

    private Object literal() {
        Token t = next();
        return switch (t.kind()) {
            case STRING -> t.text();
            case NUMBER -> new BigDecimal(t.text());
            case IDENT -> {
                if (t.is("true") || t.is("false")) {
                    yield Boolean.valueOf(t.text().toLowerCase(Locale.ROOT));
                }
                if (t.is("null")) {
                    yield null;
                }
                throw syntax("expected a value near '" + t.text() + "'");
            }
            default -> throw syntax("expected a value near '" + t.text() + "'");
        };
    }

    private int integer() {
        Token t = next();
        if (t.kind() != Kind.NUMBER || !t.text().matches("\\d+")) {
            throw syntax("expected a number near '" + t.text() + "'");
        }
        return Integer.parseInt(t.text());
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Kind.END) {
            pos++;
        }
        return t;
    }

    private boolean accept(String symbol) {
        if (peek().is(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        if (!accept(symbol)) {
            throw syntax("expected '" + symbol + "' near '" + peek().text() + "'");
        }
    }

    private void expectWord(String word) {
        if (!peek().is(word)) {
            throw syntax("expected " + word.toUpperCase(Locale.ROOT) + " near '" + peek().text() + "'");
        }
        next();
    }

    private static List<Token> tokenize(String q) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder s = new StringBuilder();
                i++;
                while (true) {
                    if (i >= q.length()) {
                        throw syntax("unterminated string literal");
                    }
                    char d = q.charAt(i);
                    if (d == '\\' && i + 1 < q.length()) {
                        s.append(q.charAt(i + 1));
                        i += 2;
                    } else if (d == '\'' && i + 1 < q.length() && q.charAt(i + 1) == '\'') {
                        s.append('\'');
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else {
                        s.append(d);
                        i++;
                    }
                }
                out.add(new Token(Kind.STRING, s.toString()));
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < q.length() && Character.isDigit(q.charAt(i + 1)))) {
                int start = i++;
                while (i < q.length() && (Character.isDigit(q.charAt(i)) || q.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Kind.NUMBER, q.substring(start, i)));
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i++;
                while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_'
                        || q.charAt(i) == '$' || q.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Kind.IDENT, q.substring(start, i)));
            } else if (q.startsWith("!=", i) || q.startsWith(">=", i) || q.startsWith("<=", i)
                    || q.startsWith("<>", i)) {
                out.add(new Token(Kind.SYMBOL, q.substring(i, i + 2)));
                i += 2;
            } else if ("=<>(),".indexOf(c) >= 0) {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c)));
                i++;
            } else {
                throw syntax("unexpected character '" + c + "'");
            }
        }
        out.add(new Token(Kind.END, "<end>"));
        return out;
    }

    private static ZohoError syntax(String reason) {
        return new ZohoError(400, "SYNTAX_ERROR", "error occurred while parsing the query",
                ZohoError.details("reason", reason));
    }

    private static ZohoError invalidColumn(String column) {
        return new ZohoError(400, "INVALID_QUERY", "column given seems to be invalid",
                ZohoError.details("column_name", column));
    }

    /** Evaluates a query: rows in order, paged, with the selected columns (id always included). */
    static List<Map<String, Object>> run(Query q, List<Row> rows, int[] total) {
        List<Row> hits = rows.stream().filter(q.where()).sorted(q.order()).toList();
        total[0] = hits.size();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : hits.stream().skip(q.offset()).limit(q.limit()).toList()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String c : q.columns()) {
                m.put(c, Json.copy(r.get(c)));
            }
            m.putIfAbsent("id", r.record().get("id"));
            out.add(m);
        }
        return out;
    }
}
