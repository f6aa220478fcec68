package io.sohbet.console.service;

import io.quarkus.qute.TemplateData;

import java.util.Map;

/** The "file a request" form as typed, with what is wrong with it per field (from the console's check or the API's problem). */
@TemplateData
public record DsrForm(String type, String phone, String country, String detail, Map<String, String> errors) {

    public static DsrForm empty() {
        return new DsrForm("access", "", "", null, Map.of());
    }

    public String error(String field) {
        return errors.get(field);
    }

    public boolean has(String field) {
        return errors.containsKey(field);
    }
}
