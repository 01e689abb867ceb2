"""The public face of the platform: home page (map of retail areas, counts per dataset
type, latest datasets), the language switch and the grouped dataset form."""
