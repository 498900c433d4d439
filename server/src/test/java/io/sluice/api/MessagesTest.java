package io.sluice.api;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesTest {

    private final Messages messages = new Messages(Messages.ZH_CN);

    @Test
    void everyMessageCodeHasATextInBothLanguages() {
        for (MessageCode code : MessageCode.values()) {
            for (Locale locale : Messages.SUPPORTED) {
                assertThat(messages.has(locale, code.name())).as(code + " in " + locale).isTrue();
            }
        }
        assertThat(messages.has(Messages.ZH_CN, "CANCEL_SUBMITTED")).isTrue();
        assertThat(messages.has(Locale.ENGLISH, "CANCEL_SUBMITTED")).isTrue();
    }

    @Test
    void acceptLanguageChoosesTheCatalog() {
        assertThat(messages.resolve(null)).isEqualTo(Messages.ZH_CN);
        assertThat(messages.resolve("en")).isEqualTo(Locale.ENGLISH);
        assertThat(messages.resolve("en-GB,en;q=0.8")).isEqualTo(Locale.ENGLISH);
        assertThat(messages.resolve("de-DE,en;q=0.5")).isEqualTo(Locale.ENGLISH);
        assertThat(messages.resolve("zh-CN,zh;q=0.9,en;q=0.8")).isEqualTo(Messages.ZH_CN);
        assertThat(messages.resolve("fr")).isEqualTo(Messages.ZH_CN);
        assertThat(messages.resolve("not a header ;;")).isEqualTo(Messages.ZH_CN);
        assertThat(new Messages(Locale.ENGLISH).resolve(null)).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void textsAreTranslated() {
        assertThat(messages.text(Messages.ZH_CN, "QUERY_EMPTY")).isEqualTo("SQL查询不能为空");
        assertThat(messages.text(Locale.ENGLISH, "QUERY_EMPTY")).isEqualTo("The query is empty");
        assertThat(messages.text(Locale.ENGLISH, "NO_SUCH_KEY")).isEqualTo("NO_SUCH_KEY");
    }
}
