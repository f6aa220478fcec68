-- The average basket is TRY revenue over the orders it comes from: orders in TRY with a total. Orders in other
-- currencies, or without a total, still count as orders (ordersTotal, orders30d) but not in the average. Filled by the
-- next recompute (every subject's, on the schedule).
ALTER TABLE profile
    ADD COLUMN try_orders_30d    INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN try_orders_total  INTEGER NOT NULL DEFAULT 0;
