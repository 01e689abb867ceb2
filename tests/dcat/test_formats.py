"""The one private hook of ckanext-dcat we override (docs/development.md, "Private APIs"):
``RDFProcessor._load_profiles``, to look the profile entry points up once per process. If
ckanext-dcat renames it, our override is silently skipped and every save pays ~25 ms
again; this test fails instead."""
from ckanext.dcat.processors import RDFSerializer

from ckanext.retailarea.dcat import formats


def test_the_serializer_looks_profiles_up_once_per_process():
    assert "_load_profiles" in dir(RDFSerializer)
    formats._PROFILE_CLASSES.clear()
    formats.Serializer()
    assert list(formats._PROFILE_CLASSES), "ckanext-dcat no longer calls _load_profiles"
    cached = dict(formats._PROFILE_CLASSES)
    formats.Serializer()
    assert formats._PROFILE_CLASSES == cached
    assert [p.__name__ for p in next(iter(cached.values()))][-1] == "RetailAreaDCATAPNLProfile"

