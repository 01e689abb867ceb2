"""Scheming schemas and Frictionless table schemas, shipped as ckanext.retailarea.schemas."""
