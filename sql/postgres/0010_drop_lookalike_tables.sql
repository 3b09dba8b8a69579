-- The tables of the actor runtime FirstViscount ran on before Orleans (0001, 0003). Orleans's providers keep grain
-- state in orleans_grain_state and reminders in orleans_reminders (0009); nothing reads these any more. Checkouts
-- and registrations unfinished on the old runtime must be finished before upgrading: their state is in a format
-- Orleans does not read. Events, snapshots, accounts and the catalog are untouched.
DROP TABLE IF EXISTS grain_state;
DROP TABLE IF EXISTS reminders;
