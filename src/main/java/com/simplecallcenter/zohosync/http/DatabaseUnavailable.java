package com.simplecallcenter.zohosync.http;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Tells "the database could not be reached" apart from every other failure, whatever wraps it (Spring's
 * {@code CannotCreateTransactionException}, a {@code DataAccessException}, Camel's own wrappers): the request is then
 * answered 503 with Retry-After, because the sender's retry will succeed once PostgreSQL is back, instead of a 500
 * that says "our bug". It looks at every exception of the cause chain (and at the failure a failed rollback hides) for:
 * <ul>
 *   <li>no connection to be had: Hikari's {@link SQLTransientConnectionException} ("Connection is not available,
 *       request timed out"), {@link SQLNonTransientConnectionException}, Spring's "could not get / open a connection";</li>
 *   <li>an SQLState of class 08 (connection exception: refused, broken, closed);</li>
 *   <li>57P01/57P02/57P03: the server is shutting down, crashed or still starting (what a restart looks like from a
 *       session that was open);</li>
 *   <li>53300: too many connections.</li>
 * </ul>
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean isCause(Throwable t) {
        return find(t).isPresent();
    }

    /** The exception of the chain that says the database could not be reached (the one worth logging), if any. */
    public static Optional<Throwable> find(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (t != null) {
            todo.add(t);
        }
        while (!todo.isEmpty()) {
            Throwable c = todo.poll();
            if (!seen.add(c)) {
                continue;
            }
            if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException
                    || c instanceof CannotGetJdbcConnectionException || c instanceof CannotCreateTransactionException) {
                // Spring's wrappers say little themselves: name what they wrap
                return Optional.of(c instanceof SQLException || c.getCause() == null ? c : c.getCause());
            }
            if (c instanceof SQLException s && isUnavailableState(s.getSQLState())) {
                return Optional.of(c);
            }
            if (c.getCause() != null) {
                todo.add(c.getCause());
            }
            // a transaction whose connection broke: the rollback fails too ("Connection is closed", no SQLState) and
            // Spring throws that, keeping the failure that broke the connection beside the cause chain
            if (c instanceof TransactionSystemException tse && tse.getApplicationException() != null) {
                todo.add(tse.getApplicationException());
            }
        }
        return Optional.empty();
    }

    static boolean isUnavailableState(String sqlState) {
        if (sqlState == null) {
            return false;
        }
        return sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02") || sqlState.equals("57P03")
                || sqlState.equals("53300");
    }
}
