package io.sluice.cache;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlNormalizerTest {

    @ParameterizedTest(name = "[{index}] {0} == {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT * FROM t                               | select  *  from   t
            SELECT a,b FROM t WHERE x=1                   | select a , b from t where x = 1
            SELECT 1 -- trailing comment                  | SELECT 1
            SELECT /* inline */ 1                         | SELECT 1
            SELECT/**/1                                   | select 1
            SELECT 1;                                     | SELECT 1
            SELECT 1 ; ;                                  | SELECT 1
            SELECT Count(*) FROM Analytics.Events         | select count ( * ) from analytics . events
            ~SELECT 'a  b' FROM t~                        | ~select 'a  b'   from t~
            ~SELECT "MiXed" FROM t~                       | ~select "MiXed" from T~
            ~SELECT 'it''s' FROM t~                       | ~SELECT  'it''s'  FROM  t~
            SELECT x <> 1                                 | SELECT x<>1
            ~SELECT '-- not a comment'~                   | ~select '-- not a comment'~
            """)
    void equalQueriesNormalizeAlike(String a, String b) {
        assertThat(SqlNormalizer.normalize(a)).isEqualTo(SqlNormalizer.normalize(b));
    }

    @ParameterizedTest(name = "[{index}] {0} != {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            ~SELECT 'a'~                                  | ~SELECT 'A'~
            ~SELECT 'a b'~                                | ~SELECT 'a  b'~
            ~SELECT "Col" FROM t~                         | ~SELECT "col" FROM t~
            ~SELECT `Col` FROM t~                         | ~SELECT `col` FROM t~
            SELECT 1e5                                    | SELECT 1 e5
            SELECT ab FROM t                              | SELECT a b FROM t
            ~SELECT '/* x */'~                            | ~SELECT ''~
            SELECT 1 FROM t LIMIT 10                      | SELECT 1 FROM t LIMIT 100
            ~SELECT 'x' -- c~                             | ~SELECT 'x -- c'~
            """)
    void differentQueriesStayApart(String a, String b) {
        assertThat(SqlNormalizer.normalize(a)).isNotEqualTo(SqlNormalizer.normalize(b));
    }

    @Test
    void literalsAndQuotedNamesAreKeptByteForByte() {
        assertThat(SqlNormalizer.normalize("SELECT  'Grüße  😀' AS \"Ä b\"\n FROM\tT -- done"))
                .isEqualTo("select 'Grüße  😀' as \"Ä b\" from t");
    }

    @Test
    void anUnterminatedQuoteRunsToTheEnd() {
        assertThat(SqlNormalizer.normalize("SELECT 'abc  -- x")).isEqualTo("select 'abc  -- x");
        assertThat(SqlNormalizer.normalize("SELECT 1 /* open")).isEqualTo("select 1");
    }

    @Test
    void theKeyCoversEveryPartAndNotJustTheirConcatenation() {
        String key = CacheKey.of("SELECT 1", "athena", "AwsDataCatalog", "analytics", "primary");
        assertThat(key).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(CacheKey.of("select   1;", "athena", "AwsDataCatalog", "analytics", "primary")).isEqualTo(key);
        assertThat(CacheKey.of("SELECT 1", "athena", "AwsDataCatalog", "analytics", "other")).isNotEqualTo(key);
        assertThat(CacheKey.of("SELECT 1", "athena", "AwsDataCatalog", "sales", "primary")).isNotEqualTo(key);
        assertThat(CacheKey.of("SELECT 1", "athena", "other", "analytics", "primary")).isNotEqualTo(key);
        assertThat(CacheKey.of("SELECT 1", "athena2", "AwsDataCatalog", "analytics", "primary")).isNotEqualTo(key);
        assertThat(CacheKey.of("SELECT 1", "athena", "ab", "c", "primary"))
                .isNotEqualTo(CacheKey.of("SELECT 1", "athena", "a", "bc", "primary"));
    }
}
