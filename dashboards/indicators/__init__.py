"""The dashboard's indicators, one module per section, each computed by SQL aggregates from the
data (never typed), for a `Period` and a `Scope` (dashboards.filters)."""
