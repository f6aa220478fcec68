package io.sohbet.consent.domain;

import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/**
 * A subject's contact details in the identity vault (table {@code identity}), each field sealed with the subject's
 * data key.
 */
public class Identity {

    public String subjectId;

    public String phone;

    public String name;

    public String email;

    /** Where the latest details came from: whatsapp, shop, api, rectification. */
    public String source;

    /** When the source saw the details (events can arrive late: older details never overwrite newer ones). */
    public Instant seenAt;

    public Instant updatedAt;

    /** An entry from a row of {@code identity} (every column, as {@code SELECT *} returns them). */
    public static Identity from(Row row) {
        Identity identity = new Identity();
        identity.subjectId = row.getString("subject_id");
        identity.phone = row.getString("phone");
        identity.name = row.getString("name");
        identity.email = row.getString("email");
        identity.source = row.getString("source");
        identity.seenAt = Database.instant(row, "seen_at");
        identity.updatedAt = Database.instant(row, "updated_at");
        return identity;
    }
}
