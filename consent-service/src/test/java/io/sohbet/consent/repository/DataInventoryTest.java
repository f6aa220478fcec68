package io.sohbet.consent.repository;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.DataInventory;
import org.junit.jupiter.api.Test;

/**
 * The data inventory (src/main/resources/db/data-inventory.json) declares every table and column of the migrated schema
 * that holds personal or pseudonymous data, and nothing that no longer exists (docs/data-inventory.md).
 */
@QuarkusTest
class DataInventoryTest {

    @Test
    void theInventoryMatchesTheMigratedSchema() {
        DataInventory.assertMatchesTheMigratedSchema();
    }
}
