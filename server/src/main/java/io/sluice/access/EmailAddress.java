package io.sluice.access;

import java.util.regex.Pattern;

/**
 * What Sluice accepts as a user's identity: one plain e-mail address, {@code local@domain}. The
 * local part is letters, digits and {@code .!#$%&*+/=?^_{|}~-}; the domain is dot-separated labels
 * of letters, digits and inner hyphens (the HTML form-field rule, without quotes of any kind). So
 * no lists (commas, semicolons), no display names (quotes, angle brackets), no whitespace or
 * control characters: a value that could mean two people, or hide one, is not an identity.
 */
public final class EmailAddress {

    private static final int MAX_LOCAL = 64;
    private static final int MAX_TOTAL = 254;
    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9.!#$%&*+/=?^_{|}~-]+");
    private static final Pattern DOMAIN = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private EmailAddress() {
    }

    public static boolean isValid(String text) {
        if (text == null || text.length() > MAX_TOTAL) {
            return false;
        }
        int at = text.indexOf('@');
        if (at < 1 || at > MAX_LOCAL || at != text.lastIndexOf('@')) {
            return false;
        }
        return LOCAL.matcher(text.substring(0, at)).matches() && DOMAIN.matcher(text.substring(at + 1)).matches();
    }
}
