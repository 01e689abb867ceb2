"""Harvesters of municipal sources into the retail-area schema (see docs/harvesting.md)."""
