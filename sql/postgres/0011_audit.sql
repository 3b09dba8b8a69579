-- The consistency auditor's runs (GET /v1/admin/audit shows the latest). `checks` holds each check's outcome and
-- exact finding count; audit_findings keeps the findings themselves (at most a hundred per check and run).
CREATE TABLE audit_runs (
    run_id          uuid        PRIMARY KEY,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL,
    ran_by          text        NOT NULL,
    events_audited  bigint      NOT NULL,
    findings        integer     NOT NULL,
    checks          jsonb       NOT NULL
);
CREATE INDEX audit_runs_latest ON audit_runs (started_at DESC);

CREATE TABLE audit_findings (
    run_id     uuid    NOT NULL REFERENCES audit_runs ON DELETE CASCADE,
    number     integer NOT NULL,
    check_name text    NOT NULL,
    subject    text    NOT NULL,
    detail     text    NOT NULL,
    PRIMARY KEY (run_id, number)
);

-- Each run of a retention job (the ClickHouse partition drop, the seven-year event archive): when, and what it removed.
CREATE TABLE retention_runs (
    job      text        NOT NULL,
    ran_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    removed  bigint      NOT NULL,
    detail   text        NOT NULL,
    PRIMARY KEY (job, ran_at)
);
