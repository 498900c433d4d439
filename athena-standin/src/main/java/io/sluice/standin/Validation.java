package io.sluice.standin;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the service framework's constraint violations and reports them in one message, as
 * Athena does: {@code 2 validation errors detected: <first>; <second>}.
 */
final class Validation {
    private final List<String> violations = new ArrayList<>();

    Validation required(Object value, String member) {
        if (value == null) {
            violations.add("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
        }
        return this;
    }

    Validation length(String value, String member, int min, int max) {
        if (value != null && value.length() < min) {
            violations.add("Value at '" + member + "' failed to satisfy constraint: "
                    + "Member must have length greater than or equal to " + min);
        } else if (value != null && value.length() > max) {
            violations.add("Value at '" + member + "' failed to satisfy constraint: "
                    + "Member must have length less than or equal to " + max);
        }
        return this;
    }

    Validation range(Integer value, String member, int min, int max) {
        if (value != null && value < min) {
            violations.add("Value at '" + member + "' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to " + min);
        } else if (value != null && value > max) {
            violations.add("Value at '" + member + "' failed to satisfy constraint: "
                    + "Member must have value less than or equal to " + max);
        }
        return this;
    }

    Validation size(List<?> value, String member, int min, int max) {
        if (value != null && (value.size() < min || value.size() > max)) {
            String bound = value.size() < min
                    ? "greater than or equal to " + min
                    : "less than or equal to " + max;
            violations.add("Value at '" + member + "' failed to satisfy constraint: Member must have length " + bound);
        }
        return this;
    }

    void check() {
        if (violations.isEmpty()) {
            return;
        }
        String count = violations.size() == 1 ? "1 validation error" : violations.size() + " validation errors";
        throw AthenaException.invalidInput(count + " detected: " + String.join("; ", violations));
    }
}
