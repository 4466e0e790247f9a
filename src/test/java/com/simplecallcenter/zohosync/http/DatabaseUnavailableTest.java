package com.simplecallcenter.zohosync.http;

import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures mean "the database could not be reached" (503, retry) and which do not (500 or 4xx), in the shapes
 * they reach the error handler: the exceptions that the driver, Hikari and Spring throw, wrapped as they wrap them.
 */
class DatabaseUnavailableTest {

    static SQLTransientConnectionException hikariTimeout(Throwable lastFailure) {
        return new SQLTransientConnectionException("scc-db - Connection is not available, request timed out after 1000ms "
                + "(total=0, active=0, idle=0, waiting=0)", "08001", lastFailure);
    }

    static PSQLException refused() {
        return new PSQLException("Connection to 127.0.0.1:5432 refused.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new java.net.ConnectException("Connection refused"));
    }

    @Test
    void aPoolThatCannotHandOutAConnectionHoweverWrapped() {
        assertThat(DatabaseUnavailable.isCause(hikariTimeout(refused()))).isTrue();
        // a saturated pool times out without a connection failure behind it, and without an SQLState
        assertThat(DatabaseUnavailable.isCause(new SQLTransientConnectionException("scc-db - Connection is not available"))).isTrue();
        // TransactionTemplate → DataSourceTransactionManager.doBegin
        assertThat(DatabaseUnavailable.isCause(new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                hikariTimeout(refused())))).isTrue();
        // JdbcTemplate outside a transaction
        assertThat(DatabaseUnavailable.isCause(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                hikariTimeout(null)))).isTrue();
        // and once more inside Camel's wrapper
        assertThat(DatabaseUnavailable.isCause(new RuntimeCamelException(new CannotCreateTransactionException("x", hikariTimeout(null)))))
                .isTrue();
    }

    @Test
    void aSessionThatBrokeOrAServerGoingDown() {
        PSQLException io = new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE,
                new EOFException());
        assertThat(DatabaseUnavailable.isCause(new DataAccessResourceFailureException("PreparedStatementCallback; SQL [INSERT ...]", io)))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(DatabaseUnavailable.isCause(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(DatabaseUnavailable.isCause(new SQLException("the database system is shutting down", "57P03"))).isTrue();
        assertThat(DatabaseUnavailable.isCause(new SQLException("sorry, too many clients already", "53300"))).isTrue();
        assertThat(DatabaseUnavailable.isCause(new SQLException("This connection has been closed.", "08003"))).isTrue();
    }

    @Test
    void aRollbackThatFailsOnTheBrokenConnectionHidesTheFailureWhichStillCounts() {
        // what EventInbox met: the INSERT broke the connection (08006), Hikari closed it, the rollback then failed with
        // Hikari's "Connection is closed" (no SQLState) and Spring threw that, the INSERT's failure beside it
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        assertThat(DatabaseUnavailable.isCause(rollback)).isFalse();
        rollback.initApplicationException(new DataAccessResourceFailureException("PreparedStatementCallback",
                new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE)));
        assertThat(DatabaseUnavailable.isCause(rollback)).isTrue();
        assertThat(DatabaseUnavailable.find(rollback)).get().isInstanceOf(PSQLException.class);
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseUnavailable.isCause(null)).isFalse();
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseUnavailable.isCause(new DuplicateKeyException("duplicate key",
                new PSQLException("duplicate key value violates unique constraint", PSQLState.UNIQUE_VIOLATION)))).isFalse();
        assertThat(DatabaseUnavailable.isCause(new SQLException("value too long for type character varying(100)", "22001"))).isFalse();
        assertThat(DatabaseUnavailable.isCause(new SQLException("canceling statement due to user request", "57014"))).isFalse();
        // a cause chain that loops ends
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(DatabaseUnavailable.isCause(a)).isFalse();
    }
}
