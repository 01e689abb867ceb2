"""The shop register: one row per retail unit, Locatus/KvK/BAG/OSM style.

Current units come first per address; a unit that changed hands also has a closed row
(``valid_to`` set) for its previous tenant, sharing the BAG id.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .common import Row, rng
from .places import ARNHEM, GOUDA, City, Street, along, streets

COLUMNS = (
    "shop_id", "name", "locatus_branch_code", "sbi_code", "sbi_scheme", "kvk_number",
    "bag_vbo_id", "street", "house_number", "postcode", "city", "lat", "lon",
    "floor_area_m2", "is_vacant", "opening_hours", "valid_from", "valid_to",
)

# The register is an extract of this day; nothing in it starts later.
EXTRACT_DATE = date(2026, 3, 1)
# The KvK recoded its register to SBI 2025 in September 2025: registrations since then
# only carry the new code.
SBI2025_FROM = date(2025, 9, 1)
VACANCY_SHARE = 0.07
# rows per city: (all rows, of which closed rows of a vacant unit's previous tenant)
SIZES = ((GOUDA, 130, 6), (ARNHEM, 170, 8))
# Half a street's width in degrees: odd numbers on one side, even on the other.
STREET_SIDE_DEG = 0.00007


@dataclass(frozen=True)
class Branch:
    code: str  # Locatus-style GG.SSS.BBB; GG is the main group
    label: str
    sbi2008: str
    sbi2025: str
    hours: str  # key into HOURS
    floor_area: tuple[int, int]  # m2, min and max
    prefixes: tuple[str, ...]  # how such a shop names itself
    weight: int


VACANT = Branch("00.100.100", "Leegstand winkel", "", "", "", (60, 260), (), 0)
BRANCHES = (
    Branch("11.110.110", "Supermarkt", "4711", "4711", "supermarket", (600, 1400),
           ("Buurtsuper", "Versmarkt"), 3),
    Branch("11.120.110", "Bakker", "47241", "4724", "food", (40, 120), ("Bakkerij",), 4),
    Branch("11.120.130", "Slager", "47221", "4722", "food", (50, 120), ("Slagerij",), 2),
    Branch("11.130.110", "Kaas en delicatessen", "47291", "4727", "food", (30, 110),
           ("Kaashandel", "Delicatessen"), 3),
    Branch("11.140.110", "Groente en fruit", "47210", "4721", "food", (50, 150),
           ("Groenteboer",), 2),
    Branch("11.210.110", "Drogisterij", "47750", "4775", "retail", (120, 400), ("Drogisterij",), 3),
    Branch("11.220.110", "Apotheek", "47730", "4773", "service", (100, 250), ("Apotheek",), 1),
    Branch("22.110.110", "Dameskleding", "47712", "4771", "retail", (80, 350),
           ("Boutique", "Modehuis"), 10),
    Branch("22.110.120", "Herenkleding", "47713", "4771", "retail", (80, 300), ("Herenmode",), 5),
    Branch("22.110.140", "Gemengde kleding", "47711", "4771", "retail", (150, 900),
           ("Mode", "Kledinghuis"), 6),
    Branch("22.120.110", "Schoenen", "47721", "4772", "retail", (80, 300), ("Schoenen",), 5),
    Branch("22.130.110", "Juwelier", "47770", "4777", "retail", (40, 120), ("Juwelier",), 3),
    Branch("22.140.110", "Opticien", "47782", "4778", "retail", (50, 150), ("Optiek",), 2),
    Branch("22.150.110", "Tassen en lederwaren", "47722", "4772", "retail", (40, 120),
           ("Lederwaren",), 2),
    Branch("35.110.110", "Boeken", "47610", "4761", "retail", (80, 400), ("Boekhandel",), 2),
    Branch("35.120.110", "Sportartikelen", "47640", "4763", "retail", (150, 600), ("Sport",), 2),
    Branch("35.130.110", "Speelgoed", "47650", "4764", "retail", (80, 300), ("Speelgoed",), 2),
    Branch("35.140.110", "Beeld en geluid", "47430", "4740", "retail", (80, 400), ("Elektro",), 2),
    Branch("37.110.110", "Woonaccessoires", "47592", "4755", "retail", (80, 500),
           ("Wonen", "Interieur"), 4),
    Branch("37.120.110", "Huishoudelijke artikelen", "47593", "4755", "retail", (80, 300),
           ("Huishoudhuis",), 2),
    Branch("37.130.110", "Bloemen en planten", "47761", "4776", "food", (30, 120),
           ("Bloemen",), 3),
    Branch("50.110.110", "Restaurant", "56101", "5611", "horeca", (80, 300),
           ("Restaurant", "Eetcafé"), 8),
    Branch("50.110.130", "Lunchroom en snackbar", "56102", "5611", "daytime", (40, 140),
           ("Lunchroom", "Broodjeszaak"), 5),
    Branch("50.120.110", "Café", "56300", "5630", "horeca", (60, 200), ("Café",), 6),
    Branch("60.110.110", "Kapper", "96021", "9621", "service", (30, 100), ("Kapsalon",), 4),
)

# Opening hours in OSM syntax; a later rule overrides an earlier one for its days, which
# is how the Thursday shopping evening is written.
HOURS = {
    "retail": (
        "Mo 12:00-18:00; Tu-Fr 09:30-18:00; Th 09:30-21:00; Sa 09:30-17:30",
        "Mo 13:00-18:00; Tu-Sa 10:00-18:00; Th 10:00-21:00; Su 12:00-17:00",
        "Mo-Fr 09:30-18:00; Th 09:30-21:00; Sa 09:30-17:00; Su 12:00-17:00",
    ),
    "supermarket": ("Mo-Sa 08:00-21:00; Su 12:00-19:00", "Mo-Sa 07:30-22:00; Su 10:00-20:00"),
    "food": ("Mo-Fr 08:00-18:00; Sa 08:00-17:00", "Tu-Fr 08:30-18:00; Sa 08:00-16:00"),
    "horeca": (
        "Mo-Th 11:00-23:00; Fr-Sa 11:00-01:00; Su 12:00-22:00",
        "Tu-Su 17:00-22:00",
        "Mo-Su 10:00-24:00",
    ),
    "daytime": ("Mo-Sa 09:00-18:00; Th 09:00-21:00; Su 11:00-17:00", "Mo-Su 10:00-20:00"),
    "service": ("Tu-Fr 09:00-17:30; Th 09:00-21:00; Sa 08:30-16:00",
                "Mo-Fr 08:30-17:30; Sa 09:00-12:00"),
}

# Made-up shop names: an adjective and a noun after the branch's usual prefix.
ADJECTIVES = ("Gouden", "Zilveren", "Blauwe", "Groene", "Rode", "Witte", "Oude", "Nieuwe",
              "Kleine", "Vrolijke", "Stille", "Hoge")
NOUNS = ("Linde", "Vos", "Kaars", "Molen", "Sleutel", "Gans", "Pauw", "Zwaan", "Ster",
         "Eik", "Haan", "Roos", "Brug", "Poort", "Toren", "Wilg")

# KvK numbers registered before the national register (2009) keep the prefix of the old
# regional chamber; Arnhem's starts with 0, which is why kvk_number is text.
OLD_KVK_PREFIX = {GOUDA: "29", ARNHEM: "09"}


@dataclass(frozen=True)
class Unit:
    street: Street
    house_number: str
    postcode: str
    lon: Decimal
    lat: Decimal
    bag_vbo_id: str


def shops() -> Iterator[Row]:
    """All rows of the shop register, Gouda first."""
    r = rng("shops")
    used: set[str] = set()  # KvK numbers and BAG ids must be unique over both cities
    for city, total, closed in SIZES:
        yield from _city(r, city, total, closed, used)


def _city(r: random.Random, city: City, total: int, closed: int,
          used: set[str]) -> Iterator[Row]:
    units = _units(r, city, total - closed, used)
    vacant = set(r.sample(range(len(units)), round(len(units) * VACANCY_SHARE)))
    previous = set(r.sample(sorted(vacant), closed))
    rows = []  # per unit in address order: the previous tenant first
    for index, unit in enumerate(units):
        if index in vacant:
            since = _day_between(r, date(2024, 6, 1), EXTRACT_DATE)
            if index in previous:
                opened = _day_between(r, date(2005, 1, 1), since - timedelta(days=400))
                rows.append(_business(r, city, unit, opened, since - timedelta(days=1), used))
            rows.append(_vacant(r, unit, since))
        else:
            rows.append(_business(r, city, unit, _opened(r), None, used))
    for number, row in enumerate(rows, start=1):
        yield {"shop_id": f"{city.prefix}-{number:06d}", **row}


def _units(r: random.Random, city: City, count: int, used: set[str]) -> list[Unit]:
    """``count`` addresses spread over the city's streets by their weight."""
    units = []
    for street, n in _spread(streets(city), count):
        numbers = sorted(r.sample(range(1, 3 * n + 12), n))
        for rank, number in enumerate(numbers):
            side = STREET_SIDE_DEG if number % 2 else -STREET_SIDE_DEG
            lon, lat = along(street, (rank + 0.5) / n, side)
            addition = "a" if r.random() < 0.06 else ""
            letters = street.letters[rank * len(street.letters) // n]
            units.append(Unit(street, f"{number}{addition}", f"{street.postcode} {letters}",
                              lon, lat, _unique(used, lambda: _bag_id(r, city))))
    return units


def _spread(items: list[Street], count: int) -> list[tuple[Street, int]]:
    """``count`` split over ``items`` in proportion to their weight (largest remainder)."""
    total = sum(s.weight for s in items)
    exact = [count * s.weight / total for s in items]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(items)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: count - sum(shares)]:
        shares[i] += 1
    return list(zip(items, shares, strict=True))


def _vacant(r: random.Random, unit: Unit, since: date) -> Row:
    return _row(unit, since, None, VACANT, name=None, kvk=None, hours=None,
                floor_area=r.randint(*VACANT.floor_area))


def _business(r: random.Random, city: City, unit: Unit, opened: date, closed: date | None,
              used: set[str]) -> Row:
    branch = r.choices(BRANCHES, weights=[b.weight for b in BRANCHES])[0]
    name = f"{r.choice(branch.prefixes)} {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
    kvk = _unique(used, lambda: _kvk_number(r, city, opened))
    return _row(unit, opened, closed, branch, name=name, kvk=kvk,
                hours=r.choice(HOURS[branch.hours]), floor_area=r.randint(*branch.floor_area))


def _row(unit: Unit, valid_from: date, valid_to: date | None, branch: Branch, *,
         name: str | None, kvk: str | None, hours: str | None, floor_area: int) -> Row:
    new_code = valid_from >= SBI2025_FROM
    sbi = (branch.sbi2025 if new_code else branch.sbi2008) or None
    return {
        "name": name,
        "locatus_branch_code": branch.code,
        "sbi_code": sbi,
        "sbi_scheme": ("sbi2025" if new_code else "sbi2008") if sbi else None,
        "kvk_number": kvk,
        "bag_vbo_id": unit.bag_vbo_id,
        "street": unit.street.name,
        "house_number": unit.house_number,
        "postcode": unit.postcode,
        "city": unit.street.city.name,
        "lat": unit.lat,
        "lon": unit.lon,
        "floor_area_m2": floor_area,
        "is_vacant": branch is VACANT,
        "opening_hours": hours,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


def _opened(r: random.Random) -> date:
    # about one shop in eight opened in the last two years, so some carry SBI 2025 codes
    if r.random() < 0.125:
        return _day_between(r, date(2024, 3, 1), EXTRACT_DATE)
    return _day_between(r, date(1998, 1, 1), date(2024, 3, 1))


def _day_between(r: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=r.randrange((last - first).days))


def _kvk_number(r: random.Random, city: City, opened: date) -> str:
    if opened.year < 2009:
        return OLD_KVK_PREFIX[city] + f"{r.randrange(10**6):06d}"
    return str(r.randrange(50_000_000, 100_000_000))


def _bag_id(r: random.Random, city: City) -> str:
    # municipality code, object type 01 (verblijfsobject), 10-digit serial
    return f"{city.municipality}01{r.randrange(10_000, 1_000_000):010d}"


def _unique(used: set[str], draw: Callable[[], str]) -> str:
    while (value := draw()) in used:
        pass
    used.add(value)
    return value
