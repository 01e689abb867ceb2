"""ckanext-retailarea: the open-data platform of a shopping area."""
