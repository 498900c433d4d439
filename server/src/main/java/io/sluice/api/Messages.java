package io.sluice.api;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The server's message catalog (zh-CN and en, in {@code i18n/messages_*.properties}). Clients
 * translate by {@code messageCode}; these texts are the server's own rendering and the fallback.
 */
public final class Messages {

    public static final Locale ZH_CN = Locale.forLanguageTag("zh-CN");
    public static final List<Locale> SUPPORTED = List.of(ZH_CN, Locale.ENGLISH);

    private final Map<Locale, ResourceBundle> bundles;
    private final Locale defaultLocale;

    public Messages(Locale defaultLocale) {
        this.defaultLocale = defaultLocale;
        this.bundles = Map.of(
                ZH_CN, ResourceBundle.getBundle("i18n.messages", ZH_CN, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)),
                Locale.ENGLISH, ResourceBundle.getBundle("i18n.messages", Locale.ENGLISH, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
    }

    /** The catalog locale that best matches an Accept-Language header, else the default. */
    public Locale resolve(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return defaultLocale;
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage);
            for (Locale.LanguageRange range : ranges) {
                if (range.getWeight() <= 0) {
                    continue;
                }
                String tag = range.getRange().toLowerCase(Locale.ROOT);
                if (tag.startsWith("zh")) {
                    return ZH_CN;
                }
                if (tag.startsWith("en")) {
                    return Locale.ENGLISH;
                }
                if (tag.equals("*")) {
                    return defaultLocale;
                }
            }
        } catch (IllegalArgumentException e) {
            return defaultLocale;
        }
        return defaultLocale;
    }

    public String text(Locale locale, String code, Object... args) {
        ResourceBundle bundle = bundles.getOrDefault(locale, bundles.get(defaultLocale));
        String pattern;
        try {
            pattern = bundle.getString(code);
        } catch (MissingResourceException e) {
            return code;
        }
        if (args == null || args.length == 0) {
            return pattern;
        }
        return new MessageFormat(pattern, locale).format(args);
    }

    /** Whether the catalog of {@code locale} has a text for {@code code}. */
    public boolean has(Locale locale, String code) {
        return bundles.get(locale).containsKey(code);
    }
}
