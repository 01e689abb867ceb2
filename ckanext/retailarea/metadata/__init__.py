"""Retail-area metadata: dataset types, their shared fields and cross-field rules."""
