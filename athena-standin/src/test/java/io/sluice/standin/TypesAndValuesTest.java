package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypesAndValuesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "INTEGER                          | integer                        | int",
        "VARCHAR                          | varchar                        | string",
        "FLOAT                            | real                           | float",
        "BLOB                             | varbinary                      | binary",
        "DECIMAL(10,2)                    | decimal(10,2)                  | decimal(10,2)",
        "HUGEINT                          | decimal(38,0)                  | decimal(38,0)",
        "TIMESTAMP_MS                     | timestamp                      | timestamp",
        "TIMESTAMP WITH TIME ZONE         | timestamp with time zone       | timestamp",
        "INTEGER[]                        | array(integer)                 | array<int>",
        "MAP(VARCHAR, DOUBLE[])           | map(varchar, array(double))    | map<string,array<double>>",
        "STRUCT(a INTEGER, \"b c\" VARCHAR)[] | array(row(a integer, b c varchar)) | array<struct<a:int,b c:string>>",
    })
    void duckDbTypesMapToAthenaAndHiveNames(String duckDb, String athena, String hive) {
        AthenaType type = DuckDbTypes.toAthena(duckDb);

        assertThat(type.signature()).isEqualTo(athena);
        assertThat(type.hiveName()).isEqualTo(hive);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "string                    | VARCHAR",
        "array<struct<a:int>>      | STRUCT(\"a\" INTEGER)[]",
        "row(x bigint, y varchar)  | STRUCT(\"x\" BIGINT, \"y\" VARCHAR)",
        "map(varchar, integer)     | MAP(VARCHAR, INTEGER)",
        "varchar(10)               | VARCHAR",
        "binary                    | BLOB",
    })
    void ddlTypesMapToDuckDb(String ddl, String duckDb) {
        assertThat(DdlTypes.toDuckDb(ddl)).isEqualTo(duckDb);
    }
}
