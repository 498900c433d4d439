package io.sluice.task;

import io.sluice.datasource.DatasourceException;
import io.sluice.federation.AttachTarget;

/** The datasources a task may attach: its owner's own and the shared ones, with their passwords opened. */
@FunctionalInterface
public interface TaskDatasources {

    /**
     * The datasource {@code connectionId} as {@code owner} may use it, under {@code alias}.
     *
     * @throws DatasourceException {@code CONNECTION_NOT_FOUND} when the owner has no such datasource
     */
    AttachTarget resolve(String owner, String alias, String connectionId);
}
