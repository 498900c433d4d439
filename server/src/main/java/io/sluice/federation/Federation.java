package io.sluice.federation;

import io.sluice.api.MessageCode;
import io.sluice.datasource.DatasourceConnections;
import io.sluice.datasource.SqlitePaths;
import io.sluice.engine.Cancellation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Attaches external databases (registered datasources) to a DuckDB connection so that one SQL
 * statement can join them, natively ({@link NativeAttach}) or by importing the tables the SQL names
 * ({@link ImportAttach}), as {@link FederationSettings#mode()} says.
 *
 * <p>The rules: everything happens on the one connection given (ATTACH, import, and later DETACH in
 * {@link Attachment#close()}); targets are attached in order, and when the N-th fails, 1..N-1 are
 * detached and every import file is deleted before the exception leaves; a cancel is checked between
 * targets, tables and batches, and interrupts the running DuckDB or source statement. Passwords go
 * to the database only, never into a log or a message.
 */
public final class Federation {

    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);

    private final FederationSettings settings;
    private final NativeAttach nativeAttach;
    private final ImportAttach importAttach;

    public Federation(FederationSettings settings, SqlitePaths sqlitePaths) {
        this.settings = settings;
        this.nativeAttach = new NativeAttach(sqlitePaths, Math.max(1, settings.connectTimeout().toSeconds()));
        this.importAttach = new ImportAttach(new DatasourceConnections(settings.connectTimeout(), sqlitePaths),
                settings.importBatchRows(), settings.postgresCopy());
    }

    /**
     * Attaches every target, in order, on {@code duck} (a connection, in autocommit, of a writable
     * DuckDB instance Sluice controls), ready for running {@code sql} on that same connection.
     * {@code scratch} is the folder for import files.
     *
     * @throws FederationException with nothing left attached and no import file left
     */
    public Attachment attach(Connection duck, Path scratch, List<AttachTarget> targets, String sql,
                             Cancellation cancellation) throws FederationException {
        checkAliases(targets);
        RunningStatements running = new RunningStatements(cancellation);
        running.register();
        AttachedDatabases attached = new AttachedDatabases(duck);
        try {
            List<String> aliases = targets.stream().map(AttachTarget::alias).toList();
            List<NeededTable> needed = null;
            boolean extensionFolderSet = false;
            for (AttachTarget target : targets) {
                if (running.cancelled()) {
                    throw ImportAttach.cancelled(target.alias());
                }
                if (!extensionFolderSet && settings.mode() != FederationMode.IMPORT) {
                    setExtensionDirectory(duck, target, running);
                    extensionFolderSet = true;
                }
                if (useNative(duck, target, running)) {
                    nativeAttach.attach(duck, target, running);
                    attached.attached(target.alias(), "native");
                } else {
                    if (needed == null) {
                        needed = analyse(duck, sql, aliases, target);
                    }
                    List<NeededTable> mine = needed.stream().filter(t -> t.alias().equals(target.alias())).toList();
                    importAttach.attach(duck, scratch, target, mine, attached, running);
                }
                LOG.info("federation: attached {} ({}, {})", target.alias(), target.datasource().type().apiName(),
                        attached.modes().get(target.alias()));
            }
            if (running.cancelled()) {
                throw ImportAttach.cancelled(targets.get(targets.size() - 1).alias());
            }
            return attached;
        } catch (FederationException e) {
            attached.close();
            throw e;
        } catch (RuntimeException | Error e) {
            attached.close();
            throw e;
        }
    }

    private boolean useNative(Connection duck, AttachTarget target, RunningStatements running)
            throws FederationException {
        if (settings.mode() == FederationMode.IMPORT) {
            return false;
        }
        String failure = NativeAttach.load(duck, target.datasource().type(), running);
        if (failure == null) {
            return true;
        }
        if (settings.mode() == FederationMode.NATIVE) {
            throw FederationException.of(MessageCode.UNSUPPORTED_TYPE, target.alias(), failure);
        }
        return false;
    }

    private void setExtensionDirectory(Connection duck, AttachTarget target, RunningStatements running)
            throws FederationException {
        if (settings.extensionDirectory().isEmpty()) {
            return;
        }
        try {
            DuckStatements.execute(duck, "SET extension_directory = "
                    + SqlQuoting.duckString(settings.extensionDirectory().get().toString()), running);
        } catch (SQLException e) {
            throw FederationException.of(MessageCode.ATTACH_FAILED, target.alias(), String.valueOf(e.getMessage()));
        }
    }

    private static List<NeededTable> analyse(Connection duck, String sql, List<String> aliases, AttachTarget target)
            throws FederationException {
        try {
            return QueryTables.analyse(duck, sql, aliases);
        } catch (QueryTables.Unreadable e) {
            throw FederationException.of(MessageCode.ATTACH_FAILED, target.alias(), e.getMessage());
        } catch (SQLException e) {
            throw FederationException.of(MessageCode.ATTACH_FAILED, target.alias(), String.valueOf(e.getMessage()));
        }
    }

    /** Every alias non-blank, without NUL, and unique as DuckDB compares names (case-insensitively). */
    private static void checkAliases(List<AttachTarget> targets) throws FederationException {
        Set<String> seen = new HashSet<>();
        for (AttachTarget t : targets) {
            if (t.alias().isBlank() || t.alias().indexOf('\0') >= 0) {
                throw FederationException.of(MessageCode.ATTACH_FAILED, t.alias(), "an alias must be a non-blank name");
            }
            if (!seen.add(t.alias().toLowerCase(Locale.ROOT))) {
                throw FederationException.of(MessageCode.ATTACH_FAILED, t.alias(), "the alias is given twice");
            }
        }
    }
}
