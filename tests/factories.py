"""factory_boy factories for our dataset types and retail areas."""
from __future__ import annotations

import factory
from ckan.tests import factories


class RetailArea(factories.Group):
    """A group of type retail-area with a small square outline in Gouda."""

    type = "retail-area"
    municipality_code = "GM0513"
    area_kind = "city_centre"
    geometry = (
        '{"type":"Polygon","coordinates":[[[4.70,52.00],[4.72,52.00],[4.72,52.02],'
        '[4.70,52.02],[4.70,52.00]]]}'
    )


class Dataset(factories.Dataset):
    """A public dataset of the generic type with the fields every type needs."""

    type = "dataset"
    access_level = "public"
    contains_personal_data = False
    theme = factory.LazyFunction(lambda: ["ECON"])


class Footfall(Dataset):
    type = "footfall"
    counting_method = "thermal"
    number_of_sensors = 6
    frequency = "DAILY"
    temporal_resolution = "PT1H"
