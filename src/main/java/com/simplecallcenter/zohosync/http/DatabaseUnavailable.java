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
 * Tells "the database could not be reached" apart from every other failure, whatever wraps it, so that the request is
 * answered 503 with Retry-After (the sender's retry will succeed once PostgreSQL is back) instead of a 500 that says
 * "our bug". It searches the whole cause chain for a connection that could not be had, SQLState class 08, 57P01 to
 * 57P03 (a server restarting) and 53300 (too many connections).
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
