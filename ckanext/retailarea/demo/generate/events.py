"""The events agenda of the 2026 season (April to September) in both centres, and the
past season's days the 2025 footfall counts reflect (King's Day, Gouda's koopzondagen,
the cheese market), so the insights can show the footfall effect of past events.

Hand-written rather than random: an agenda reads oddly when generated, and the facts
the demo shows (the Thursday cheese market, weekly markets, koopzondagen, a cancelled
race) need to be there for sure. Times are local; offsets come from zoneinfo.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from .common import AMSTERDAM, Row, money, utc_stamp
from .places import ARNHEM, GOUDA, City, degrees, inside

COLUMNS = (
    "event_id", "title", "description", "lang", "category", "start", "end", "rrule",
    "event_status", "venue_name", "address", "lat", "lon", "price_from_eur", "is_free",
    "url", "booking_url", "organizer",
)

SYNTHETIC = "Synthetisch demo-evenement."
MUNICIPALITY = {GOUDA: "Gemeente Gouda", ARNHEM: "Gemeente Arnhem"}
RETAILERS = "Winkeliersvereniging Binnenstad (demo)"
EVENTS_FOUNDATION = {GOUDA: "Stichting Evenementen Gouda (demo)",
                     ARNHEM: "Stichting Evenementen Arnhem (demo)"}


@dataclass(frozen=True)
class Venue:
    city: City
    name: str
    address: str
    lon: float
    lat: float


VENUES = {
    "markt": Venue(GOUDA, "Markt", "Markt, 2801 JG Gouda", 4.7108, 52.0118),
    "waag": Venue(GOUDA, "Markt bij de Waag", "Markt 35, 2801 JJ Gouda", 4.7103, 52.0121),
    "janskerk": Venue(GOUDA, "Sint-Janskerk", "Achter de Kerk 16, 2801 JX Gouda", 4.7093, 52.0098),
    "tiendeweg": Venue(GOUDA, "Lange Tiendeweg", "Lange Tiendeweg, 2801 CB Gouda", 4.7145, 52.0125),
    "gouwe": Venue(GOUDA, "Gouwe", "Gouwe, 2801 CN Gouda", 4.7137, 52.0128),
    "singel": Venue(GOUDA, "Start bij de Kleiweg", "Kleiweg, 2801 GA Gouda", 4.7085, 52.0135),
    "korenmarkt": Venue(ARNHEM, "Korenmarkt", "Korenmarkt, 6811 CE Arnhem", 5.9055, 51.9818),
    "jansplaats": Venue(ARNHEM, "Jansplaats", "Jansplaats, 6811 EP Arnhem", 5.9075, 51.9836),
    "kerkplein": Venue(ARNHEM, "Kerkplein", "Kerkplein, 6811 EB Arnhem", 5.9105, 51.9792),
    "eusebius": Venue(ARNHEM, "Eusebiuskerk", "Kerkplein 1, 6811 EB Arnhem", 5.9112, 51.9786),
    "rijnkade": Venue(ARNHEM, "Rijnkade", "Rijnkade, 6811 HA Arnhem", 5.9090, 51.9776),
    "ketelstraat": Venue(ARNHEM, "Ketelstraat", "Ketelstraat, 6811 AA Arnhem", 5.9084, 51.9806),
    "landvandemarkt": Venue(ARNHEM, "Land van de Markt", "Land van de Markt, 6811 EW Arnhem",
                            5.9122, 51.9808),
    "velperplein": Venue(ARNHEM, "Velperplein", "Velperplein, 6811 AG Arnhem", 5.9165, 51.9832),
}


@dataclass(frozen=True)
class Event:
    venue: str
    title: str
    category: str
    day: str  # first (or only) day, YYYY-MM-DD
    hours: str  # "HH:MM-HH:MM" local time
    text: str
    organizer: str
    price: float = 0.0
    weekly_until: str = ""  # last day of a weekly series, YYYY-MM-DD
    last_day: str = ""  # last day of a multi-day event
    status: str = "scheduled"


def _koopzondag(day: str) -> Event:
    return Event("tiendeweg", "Koopzondag binnenstad Gouda", "shopping_sunday", day,
                 "12:00-17:00", "De winkels in de binnenstad zijn deze zondag open.", RETAILERS)


AGENDA = (
    Event("waag", "Goudse Kaasmarkt", "cheese_market", "2026-04-02", "10:00-12:30",
          "Kaasboeren en handelaren sluiten met handjeklap de koop op de Markt voor de Waag.",
          MUNICIPALITY[GOUDA], weekly_until="2026-08-27"),
    Event("markt", "Weekmarkt Gouda (donderdag)", "market", "2026-04-02", "08:30-17:00",
          "Warenmarkt met verse producten, stoffen en bloemen rond het Stadhuis.",
          MUNICIPALITY[GOUDA], weekly_until="2026-09-24"),
    Event("markt", "Weekmarkt Gouda (zaterdag)", "market", "2026-04-04", "08:30-17:00",
          "Zaterdagmarkt op de Markt.", MUNICIPALITY[GOUDA], weekly_until="2026-09-26"),
    Event("markt", "Koningsdag vrijmarkt Gouda", "festival", "2026-04-27", "07:00-18:00",
          "Vrijmarkt en muziek in de hele binnenstad.", EVENTS_FOUNDATION[GOUDA]),
    _koopzondag("2026-05-03"),
    _koopzondag("2026-06-07"),
    _koopzondag("2026-07-05"),
    _koopzondag("2026-09-06"),
    Event("tiendeweg", "Zomerse koopavond", "shopping_evening", "2026-07-02", "18:00-21:00",
          "Koopavond met muziek en proeverijen in de winkelstraten.", RETAILERS),
    Event("markt", "Jazz op de Markt", "music", "2026-06-13", "14:00-23:00",
          "Gratis jazzpodium op de Markt.", EVENTS_FOUNDATION[GOUDA]),
    Event("janskerk", "Orgelconcert Sint-Janskerk", "music", "2026-07-16", "20:00-21:30",
          "Zomeravondconcert op het grote orgel.", EVENTS_FOUNDATION[GOUDA], price=12.5),
    Event("singel", "Goudse Singelloop", "sports", "2026-05-24", "10:00-14:00",
          "Hardloopwedstrijd van 5 en 10 km langs de singels.", EVENTS_FOUNDATION[GOUDA],
          price=9.0),
    Event("markt", "Kinderboekenmarkt", "market", "2026-05-16", "10:00-16:00",
          "Tweedehands kinderboeken, voorlezen en tekenen.", EVENTS_FOUNDATION[GOUDA]),
    Event("tiendeweg", "Braderie Gouda binnenstad", "braderie", "2026-09-12", "10:00-17:00",
          "Kramen van winkeliers en verenigingen in de winkelstraten.", RETAILERS),
    Event("gouwe", "Proeverij Kaas & Wijn", "festival", "2026-06-27", "15:00-21:00",
          "Proef Goudse kaas met wijnen uit de regio.", EVENTS_FOUNDATION[GOUDA], price=17.5),
    Event("markt", "Pleinfestival Gouda", "festival", "2026-08-22", "12:00-23:00",
          "Muziek en theater op de Markt; de nieuwe datum volgt.", EVENTS_FOUNDATION[GOUDA],
          status="postponed"),
    Event("janskerk", "Open Monumentendag Gouda", "culture", "2026-09-12", "10:00-17:00",
          "Monumenten in de binnenstad zijn gratis te bezoeken.", MUNICIPALITY[GOUDA],
          last_day="2026-09-13"),
    Event("singel", "Wielerronde binnenstad Gouda", "sports", "2026-08-09", "13:00-18:00",
          "Wielerwedstrijd over een parcours door de binnenstad; gaat niet door.",
          EVENTS_FOUNDATION[GOUDA], status="cancelled"),
    Event("gouwe", "Antiekmarkt aan de Gouwe", "market", "2026-07-11", "09:00-17:00",
          "Antiek en curiosa langs het water.", EVENTS_FOUNDATION[GOUDA]),
    Event("markt", "Stroopwafelfeest", "festival", "2026-09-19", "11:00-18:00",
          "Verplaatst van 5 september: stroopwafels bakken en proeven op de Markt.",
          EVENTS_FOUNDATION[GOUDA], status="rescheduled"),
    Event("jansplaats", "Weekmarkt Arnhem (zaterdag)", "market", "2026-04-04", "08:00-17:00",
          "Warenmarkt in de binnenstad.", MUNICIPALITY[ARNHEM], weekly_until="2026-09-26"),
    Event("kerkplein", "Vrijdagmarkt Arnhem", "market", "2026-04-03", "09:00-13:00",
          "Versmarkt bij de Eusebiuskerk.", MUNICIPALITY[ARNHEM], weekly_until="2026-09-25"),
    Event("ketelstraat", "Koopavond Arnhem", "shopping_evening", "2026-04-02", "18:00-21:00",
          "Elke donderdag zijn de winkels tot 21:00 open.", RETAILERS,
          weekly_until="2026-09-24"),
    Event("korenmarkt", "Koningsdag op de Korenmarkt", "festival", "2026-04-27", "10:00-22:00",
          "Vrijmarkt overdag, muziek 's avonds.", EVENTS_FOUNDATION[ARNHEM]),
    Event("jansplaats", "Bevrijdingsconcert", "music", "2026-05-05", "15:00-23:00",
          "Concert op Bevrijdingsdag.", EVENTS_FOUNDATION[ARNHEM]),
    Event("ketelstraat", "Modeweekend Arnhem centrum", "festival", "2026-05-30", "10:00-17:00",
          "Modeshows en pop-upwinkels van jonge ontwerpers.", RETAILERS,
          last_day="2026-05-31"),
    Event("korenmarkt", "Stadsloop Arnhem centrum", "sports", "2026-06-14", "10:00-15:00",
          "Loop van 5 en 10 km door de binnenstad.", EVENTS_FOUNDATION[ARNHEM], price=12.0),
    Event("ketelstraat", "Braderie Ketelstraat", "braderie", "2026-06-20", "10:00-17:00",
          "Braderie met kramen van de winkeliers.", RETAILERS),
    Event("rijnkade", "Rijnkade Zomerfestival", "festival", "2026-07-03", "16:00-23:00",
          "Driedaags muziekfestival aan de Rijn.", EVENTS_FOUNDATION[ARNHEM], price=25.0,
          last_day="2026-07-05"),
    Event("jansplaats", "Jazz op de Jansplaats", "music", "2026-07-18", "19:00-23:00",
          "Jazzavond in de open lucht.", EVENTS_FOUNDATION[ARNHEM], price=15.0),
    Event("rijnkade", "Boekenmarkt Rijnkade", "market", "2026-08-02", "10:00-17:00",
          "Boeken, strips en platen langs de kade.", EVENTS_FOUNDATION[ARNHEM]),
    Event("korenmarkt", "Straattheaterdag", "festival", "2026-08-15", "12:00-18:00",
          "Straattheater op pleinen in de binnenstad.", EVENTS_FOUNDATION[ARNHEM]),
    Event("velperplein", "Foodtruckfestival Velperplein", "festival", "2026-08-28",
          "16:00-22:00", "Foodtrucks en muziek.", EVENTS_FOUNDATION[ARNHEM], price=5.0,
          last_day="2026-08-30"),
    Event("landvandemarkt", "Kunstroute binnenstad", "culture", "2026-09-05", "11:00-17:00",
          "Ateliers en galeries openen hun deuren.", EVENTS_FOUNDATION[ARNHEM]),
    Event("korenmarkt", "Fietsdag Arnhem", "sports", "2026-09-13", "10:00-16:00",
          "Fietstochten vanaf de Korenmarkt.", MUNICIPALITY[ARNHEM]),
    Event("kerkplein", "Zomeravondmarkt", "market", "2026-07-23", "17:00-22:00",
          "Avondmarkt met streekproducten.", EVENTS_FOUNDATION[ARNHEM]),
    Event("eusebius", "Orgelconcert Eusebiuskerk", "music", "2026-06-25", "20:00-21:30",
          "Zomerconcert in de Eusebiuskerk.", EVENTS_FOUNDATION[ARNHEM], price=10.0),
    Event("landvandemarkt", "Kinderdag Land van de Markt", "festival", "2026-04-15",
          "13:00-17:00", "Spelletjes en workshops voor kinderen.", RETAILERS),
    Event("korenmarkt", "Open Podium Korenmarkt", "music", "2026-09-18", "20:00-23:30",
          "Open podium voor lokale bands; gaat niet door.", EVENTS_FOUNDATION[ARNHEM],
          status="cancelled"),
    Event("ketelstraat", "Zomerkoopavond Arnhem", "shopping_evening", "2026-08-27",
          "18:00-22:00", "Langere koopavond met acties in de winkels.", RETAILERS),
)


# The 2025 days that footfall.py models with more visitors (same dates, same rules).
PAST_SEASON = (
    Event("waag", "Goudse Kaasmarkt", "cheese_market", "2025-04-03", "10:00-12:30",
          "Kaasboeren en handelaren sluiten met handjeklap de koop op de Markt voor de Waag.",
          MUNICIPALITY[GOUDA], weekly_until="2025-08-28"),
    Event("markt", "Koningsdag vrijmarkt Gouda", "festival", "2025-04-26", "07:00-18:00",
          "Vrijmarkt en muziek in de hele binnenstad.", EVENTS_FOUNDATION[GOUDA]),
    Event("korenmarkt", "Koningsdag op de Korenmarkt", "festival", "2025-04-26", "10:00-22:00",
          "Vrijmarkt overdag, muziek 's avonds.", EVENTS_FOUNDATION[ARNHEM]),
    _koopzondag("2025-05-04"),
    _koopzondag("2025-06-01"),
    _koopzondag("2025-07-06"),
    _koopzondag("2025-08-03"),
    _koopzondag("2025-09-07"),
    _koopzondag("2025-10-05"),
)


def events() -> Iterator[Row]:
    """The agenda, ordered by start time (then title); ids count per year."""
    rows = sorted((_row(event) for event in PAST_SEASON + AGENDA),
                  key=lambda r: (r["start"], r["title"]))
    numbers: dict[int, int] = {}
    for row in rows:
        year = row["start"].year
        numbers[year] = numbers.get(year, 0) + 1
        yield {"event_id": f"EV{year}-{numbers[year]:03d}", **row}


def _row(event: Event) -> Row:
    venue = VENUES[event.venue]
    lon, lat = degrees(venue.lon), degrees(venue.lat)
    if not inside(venue.city, lon, lat):
        raise ValueError(f"venue {venue.name} lies outside {venue.city.area}")
    start, end = _span(event)
    slug = f"{_slug(event.title)}-{event.day}"
    price = money(event.price)
    return {
        "title": event.title,
        "description": f"{event.text} {SYNTHETIC}",
        "lang": "nl",
        "category": event.category,
        "start": start,
        "end": end,
        "rrule": _rrule(event, start) or None,
        "event_status": event.status,
        "venue_name": venue.name,
        "address": venue.address,
        "lat": lat,
        "lon": lon,
        "price_from_eur": price,
        "is_free": price == Decimal("0.00"),
        "url": f"https://example.org/demo/evenementen/{slug}",
        "booking_url": f"https://example.org/demo/tickets/{slug}" if price else None,
        "organizer": event.organizer,
    }


def _span(event: Event) -> tuple[datetime, datetime]:
    """Start and end of the (first) occurrence; the offset follows the date's DST."""
    begin, finish = (time.fromisoformat(t) for t in event.hours.split("-"))
    first = date.fromisoformat(event.day)
    last = date.fromisoformat(event.last_day) if event.last_day else first
    return (datetime.combine(first, begin, AMSTERDAM), datetime.combine(last, finish, AMSTERDAM))


def _rrule(event: Event, start: datetime) -> str:
    if not event.weekly_until:
        return ""
    # RFC 5545: with a zoned DTSTART, UNTIL is the last occurrence's start in UTC
    until = datetime.combine(date.fromisoformat(event.weekly_until), start.time(), AMSTERDAM)
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]
    return f"FREQ=WEEKLY;BYDAY={weekday};UNTIL={utc_stamp(until)}"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
