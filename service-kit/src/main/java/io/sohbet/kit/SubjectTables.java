package io.sohbet.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a service's database holds on a subject, for consent-service's access requests: the rows of every table
 * with a {@code subject_id} column (found in {@code information_schema}, so a table added later is exported without
 * anyone remembering to add it), as JSON: {@code {"service", "subjectId", "tables": {"<table>": [<row>]}}}.
 */
public final class SubjectTables {

    private SubjectTables() {
    }

    public static Uni<JsonObject> export(Pool database, String service, String subjectId) {
        return database.query("SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        + "AND column_name = 'subject_id' ORDER BY table_name").execute()
                .flatMap(tables -> {
                    List<Uni<Void>> reads = new ArrayList<>();
                    JsonObject out = new JsonObject().put("service", service).put("subjectId", subjectId);
                    JsonObject byTable = new JsonObject();
                    out.put("tables", byTable);
                    for (Row table : tables) {
                        String name = table.getString("table_name");
                        byTable.put(name, new JsonArray());
                        reads.add(database.preparedQuery("SELECT to_jsonb(t)::text AS row FROM \"" + name.replace("\"", "")
                                        + "\" t WHERE subject_id = $1").execute(Tuple.of(subjectId))
                                .invoke(rows -> rows.forEach(r -> byTable.getJsonArray(name).add(new JsonObject(r.getString("row")))))
                                .replaceWithVoid());
                    }
                    return reads.isEmpty() ? Uni.createFrom().item(out) : Uni.join().all(reads).andFailFast().replaceWith(out);
                });
    }
}
