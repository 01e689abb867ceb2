"""The synthetic demo catalog: `ckan retailarea demo load`."""
