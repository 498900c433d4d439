package io.sluice.standin;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Hive's name patterns, used by SHOW TABLES and by ListTableMetadata's {@code Expression}:
 * {@code *} matches any run of characters, {@code |} separates alternatives, everything else is
 * literal, and case is ignored.
 */
final class NamePattern {
    private NamePattern() {
    }

    static List<String> filter(List<String> names, String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return names;
        }
        Pattern compiled = compile(pattern);
        return names.stream().filter(name -> compiled.matcher(name).matches()).collect(Collectors.toList());
    }

    static Pattern compile(String pattern) {
        String regex = Arrays.stream(pattern.split("\\|", -1))
                .map(alternative -> Arrays.stream(alternative.split("\\*", -1))
                        .map(part -> part.isEmpty() ? "" : Pattern.quote(part))
                        .collect(Collectors.joining(".*")))
                .collect(Collectors.joining("|"));
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
