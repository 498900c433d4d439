package io.sluice.datasource;

import java.util.ArrayList;
import java.util.List;

/**
 * Re-encrypts every stored datasource password under a new key, in one transaction: either every
 * password is sealed under the new key afterwards, or (when any does not open with the old key, or
 * a datasource changes meanwhile) nothing changed. Run it with every Sluice instance stopped, then
 * start them with the new key.
 */
public final class DatasourceRekey {

    private DatasourceRekey() {
    }

    /**
     * @return how many passwords were re-encrypted
     * @throws IllegalStateException when a stored password does not open with {@code oldKey}
     */
    public static int run(DatasourceStore store, PasswordCipher oldKey, PasswordCipher newKey) {
        List<StoredDatasource> resealed = new ArrayList<>();
        for (StoredDatasource s : store.allWithPasswords()) {
            Datasource d = s.datasource();
            String password;
            try {
                password = oldKey.open(s.sealedPassword().orElseThrow(), d.owner(), d.id());
            } catch (PasswordCipher.WrongKeyException e) {
                throw new IllegalStateException("the password of datasource " + d.id() + " of " + d.owner()
                        + " does not open with the old key; nothing was changed");
            }
            resealed.add(new StoredDatasource(d, java.util.Optional.of(newKey.seal(password, d.owner(), d.id()))));
        }
        store.replaceSealedPasswords(resealed);
        return resealed.size();
    }
}
