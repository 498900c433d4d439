package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.model.Column;
import software.amazon.awssdk.services.athena.model.Database;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.ListTableMetadataResponse;
import software.amazon.awssdk.services.athena.model.MetadataException;
import software.amazon.awssdk.services.athena.model.TableMetadata;
import software.amazon.awssdk.services.athena.model.WorkGroup;

/** The catalog and workgroup reads, answered as the real Athena answers them. */
class CatalogTest {
    private static StandInClients c;

    @BeforeAll
    static void start() {
        c = StandInClients.start(AthenaStandIn.builder());
        c.standIn.execute("CREATE SCHEMA analytics;"
                + "CREATE TABLE analytics.events (id BIGINT, name VARCHAR, tags VARCHAR[], props STRUCT(a INTEGER), "
                + "amount DECIMAL(10,2), created_at TIMESTAMP);"
                + "COMMENT ON COLUMN analytics.events.name IS 'who';"
                + "CREATE VIEW analytics.recent AS SELECT * FROM analytics.events;"
                + "CREATE SCHEMA wide;"
                + IntStream.range(0, 55).mapToObj(i -> String.format("CREATE TABLE wide.t%02d (x INTEGER);", i))
                        .collect(Collectors.joining()));
        c.standIn.workGroup("capped", "s3://athena-results/capped/", 10_000_000L, true);
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @Test
    void theOnlyCatalogIsAwsDataCatalogOfTypeGlue() {
        assertThat(c.athena.listDataCatalogs(b -> { }).dataCatalogsSummary()).singleElement().satisfies(catalog -> {
            assertThat(catalog.catalogName()).isEqualTo("AwsDataCatalog");
            assertThat(catalog.typeAsString()).isEqualTo("GLUE");
        });
    }

    @Test
    void databasesAreTheSchemasWithoutDuckDbsOwn() {
        assertThat(c.athena.listDatabases(b -> b.catalogName("AwsDataCatalog")).databaseList())
                .extracting(Database::name).containsExactly("analytics", "default", "wide");
    }

    @Test
    void tableMetadataPagesHoldFiftyTables() {
        ListTableMetadataResponse first = c.athena.listTableMetadata(b -> b.catalogName("AwsDataCatalog")
                .databaseName("wide"));
        assertThat(first.tableMetadataList()).hasSize(50);
        assertThat(first.nextToken()).isNotNull();

        ListTableMetadataResponse second = c.athena.listTableMetadata(b -> b.catalogName("AwsDataCatalog")
                .databaseName("wide").nextToken(first.nextToken()));
        assertThat(second.tableMetadataList()).extracting(TableMetadata::name)
                .containsExactly("t50", "t51", "t52", "t53", "t54");
        assertThat(second.nextToken()).isNull();

        assertThatThrownBy(() -> c.athena.listTableMetadata(b -> b.catalogName("AwsDataCatalog").databaseName("wide")
                .maxResults(51))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void anExpressionFiltersTablesByHivePattern() {
        assertThat(c.athena.listTableMetadata(b -> b.catalogName("AwsDataCatalog").databaseName("wide")
                .expression("t1*|t20")).tableMetadataList()).extracting(TableMetadata::name)
                .containsExactly("t10", "t11", "t12", "t13", "t14", "t15", "t16", "t17", "t18", "t19", "t20");
    }

    @Test
    void tableMetadataDescribesColumnsInHiveTypes() {
        TableMetadata events = c.athena.getTableMetadata(b -> b.catalogName("AwsDataCatalog")
                .databaseName("analytics").tableName("events")).tableMetadata();

        assertThat(events.tableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(events.columns()).extracting(Column::name, Column::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("id", "bigint"),
                org.assertj.core.groups.Tuple.tuple("name", "string"),
                org.assertj.core.groups.Tuple.tuple("tags", "array<string>"),
                org.assertj.core.groups.Tuple.tuple("props", "struct<a:int>"),
                org.assertj.core.groups.Tuple.tuple("amount", "decimal(10,2)"),
                org.assertj.core.groups.Tuple.tuple("created_at", "timestamp"));
        assertThat(events.columns().get(1).comment()).isEqualTo("who");
        assertThat(events.partitionKeys()).isEmpty();
        assertThat(events.createTime()).isNotNull();
        assertThat(c.athena.getTableMetadata(b -> b.catalogName("AwsDataCatalog").databaseName("analytics")
                .tableName("recent")).tableMetadata().tableType()).isEqualTo("VIRTUAL_VIEW");
        assertThatThrownBy(() -> c.athena.getTableMetadata(b -> b.catalogName("AwsDataCatalog")
                .databaseName("analytics").tableName("missing"))).isInstanceOf(MetadataException.class);
    }

    @Test
    void partitionedByColumnsAreListedAsPartitionKeysNotColumns() {
        c.run("CREATE EXTERNAL TABLE analytics.visits (id bigint, page string) PARTITIONED BY (dt string, "
                + "region string) STORED AS PARQUET LOCATION 's3://data/visits/'");
        TableMetadata visits = c.athena.getTableMetadata(b -> b.catalogName("AwsDataCatalog")
                .databaseName("analytics").tableName("visits")).tableMetadata();

        assertThat(visits.columns()).extracting(Column::name).containsExactly("id", "page");
        assertThat(visits.partitionKeys()).extracting(Column::name, Column::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dt", "string"),
                org.assertj.core.groups.Tuple.tuple("region", "string"));
        TableMetadata listed = c.athena.listTableMetadata(b -> b.catalogName("AwsDataCatalog")
                .databaseName("analytics").expression("visits")).tableMetadataList().get(0);
        assertThat(listed.partitionKeys()).extracting(Column::name).containsExactly("dt", "region");

        // The same name created again without partitions has none.
        c.run("DROP TABLE analytics.visits");
        c.run("CREATE EXTERNAL TABLE analytics.visits (id bigint, dt string) LOCATION 's3://data/visits/'");
        TableMetadata plain = c.athena.getTableMetadata(b -> b.catalogName("AwsDataCatalog")
                .databaseName("analytics").tableName("visits")).tableMetadata();
        assertThat(plain.columns()).extracting(Column::name).containsExactly("id", "dt");
        assertThat(plain.partitionKeys()).isEmpty();
        c.run("DROP TABLE analytics.visits");
    }

    @Test
    void workGroupsShowTheirConfiguration() {
        WorkGroup capped = c.athena.getWorkGroup(b -> b.workGroup("capped")).workGroup();
        assertThat(capped.stateAsString()).isEqualTo("ENABLED");
        assertThat(capped.configuration().bytesScannedCutoffPerQuery()).isEqualTo(10_000_000L);
        assertThat(capped.configuration().enforceWorkGroupConfiguration()).isTrue();
        assertThat(capped.configuration().resultConfiguration().outputLocation()).isEqualTo("s3://athena-results/capped/");
        assertThat(capped.configuration().engineVersion().effectiveEngineVersion()).isEqualTo("Athena engine version 3");

        WorkGroup primary = c.athena.getWorkGroup(b -> b.workGroup("primary")).workGroup();
        assertThat(primary.configuration().bytesScannedCutoffPerQuery()).isNull();

        assertThatThrownBy(() -> c.athena.getWorkGroup(b -> b.workGroup("nope")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo("WorkGroup is not found."));
    }

    @Test
    void showAndDescribeReadTheSameCatalog() {
        String databases = c.run("SHOW DATABASES").queryExecutionId();
        assertThat(c.rows(databases)).containsExactly(java.util.List.of("analytics"), java.util.List.of("default"),
                java.util.List.of("wide"));
        String tables = c.run("SHOW TABLES IN wide 't0*'").queryExecutionId();
        assertThat(c.rows(tables)).hasSize(10);
    }
}
