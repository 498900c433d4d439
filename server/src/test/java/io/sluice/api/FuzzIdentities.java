package io.sluice.api;

import java.util.List;

/**
 * Identity headers the fuzz test sends to the server with auth on: the real users, and every way
 * of making an identity ambiguous or malformed (duplicates, lists, display names, whitespace, a
 * wrong or repeated proxy secret, a forwarded address that must not grant trust).
 */
final class FuzzIdentities {

    private FuzzIdentities() {
    }

    /** With auth off identity headers mean nothing; they are sent anyway, now and then. */
    static List<List<String[]>> withoutAuth() {
        return List.of(sent(), sent(), sent(email("x@example.com")), sent(email("a@b.c"), email("d,e")));
    }

    static List<List<String[]>> headers(String secret) {
        String[] proxy = {"X-Sluice-Proxy-Secret", secret};
        return List.of(
                sent(),
                sent(proxy, email("alice@example.com")),
                sent(proxy, email("alice@example.com")),
                sent(proxy, email("Alice@Example.COM")),
                sent(proxy, email("bob@example.com")),
                sent(proxy),
                sent(email("alice@example.com")),
                sent(new String[]{"X-Sluice-Proxy-Secret", secret + "x"}, email("alice@example.com")),
                sent(new String[]{"X-Sluice-Proxy-Secret", ""}, email("alice@example.com")),
                sent(proxy, proxy, email("alice@example.com")),
                sent(proxy, new String[]{"X-Sluice-Proxy-Secret", "guess"}, email("alice@example.com")),
                sent(proxy, email("alice@example.com"), email("alice@example.com")),
                sent(proxy, email("mallory@example.com"), email("alice@example.com")),
                sent(proxy, email("evil,alice@example.com")),
                sent(proxy, email("alice@example.com, bob@example.com")),
                sent(proxy, email("alice@example.com;bob@example.com")),
                sent(proxy, email("\"alice\"@example.com")),
                sent(proxy, email("Alice <alice@example.com>")),
                sent(proxy, email("ali ce@example.com")),
                sent(proxy, email("ålice@example.com")),
                sent(proxy, email("alice@")),
                sent(proxy, email("@example.com")),
                sent(proxy, email("a@b@example.com")),
                sent(proxy, email("")),
                sent(proxy, email("x".repeat(300) + "@example.com")),
                sent(proxy, email("alice@" + "d".repeat(7000) + ".com")),
                sent(proxy, new String[]{"x-email", "alice@example.com"}, email("bob@example.com")),
                sent(email("alice@example.com"), new String[]{"X-Forwarded-For", "10.255.255.7"}),
                sent(proxy, email("alice\t@example.com")));
    }

    private static List<String[]> sent(String[]... headers) {
        return List.of(headers);
    }

    private static String[] email(String value) {
        return new String[]{"X-Email", value};
    }
}
