"""DCAT services around the RDF profile: validating datasets for stewards."""
