"""Validation of uploaded CSV resources against their table schema and loading into the
DataStore, as a background job on Redis."""
