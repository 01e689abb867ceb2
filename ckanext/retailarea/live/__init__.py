"""Live data for apps: SPDP 2.0 parking polled into the occupancy table, and the app API
(where to park now, what is on, what is open) in plain JSON, schema.org and Smart Data
Models shapes. See docs/harvesting.md (the ``spdp`` source type) and docs/api.md."""
