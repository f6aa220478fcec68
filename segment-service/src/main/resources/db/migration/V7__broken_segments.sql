-- A custom segment whose rule cannot be evaluated (stored before the rule language bounded durations and values, or
-- failing on some profile) is marked broken with what is wrong; it is left out of evaluation, its members stay as they
-- were, and its view shows the problem until the rule is changed.
ALTER TABLE segment ADD COLUMN problem VARCHAR(1000);
