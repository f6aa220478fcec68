-- Identity vault keys: one AES-256 data key per subject, stored wrapped (AES-256-GCM) by a master key from
-- configuration. Deleting a row crypto-shreds every copy of the subject's personal fields, wherever they are.
CREATE TABLE subject_key (
    subject_id     VARCHAR(64)  PRIMARY KEY,
    master_key_id  VARCHAR(40)  NOT NULL,
    wrapped_key    VARCHAR(200) NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL
);
