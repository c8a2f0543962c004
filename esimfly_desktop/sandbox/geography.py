"""Countries, regional bundles and mobile networks for the generated catalog.

Country names come from CLDR through Babel. Regional bundles and operator
names are fixed lists so the catalog is the same on every machine.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from babel import Locale


def _codes(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# CLDR two-letter territories that are not countries with mobile networks:
# groupings, pseudo-regions, uninhabited islands and reserved codes.
NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ", "BV", "HM", "CP", "CQ", "DG", "EA", "IC"}
    | {"TA", "AC", "GS", "TF", "UM", "IO", "PN"}
)

# Busy travel markets get more providers and longer ladders.
MAJOR_MARKETS = frozenset(
    _codes(
        "JP US GB FR DE IT ES TR TH KR CN HK SG MY ID VN PH AU NZ CA MX BR AE SA EG MA IN TW PT "
        "GR NL CH AT IE IQ JO QA ZA"
    )
)

REGIONS: dict[str, tuple[str, ...]] = {
    "Europe": _codes(
        "AL AD AT BE BA BG HR CY CZ DK EE FI FR DE GR HU IS IE IT LV LI LT LU MT MC ME NL MK NO "
        "PL PT RO SM RS SK SI ES SE CH GB UA MD"
    ),
    "Asia": _codes("JP KR CN HK MO TW SG MY TH VN ID PH KH LA IN LK NP BD PK MN UZ KZ"),
    "Americas": _codes("US CA MX BR AR CL CO PE EC UY PY BO CR PA GT HN SV NI DO PR"),
    "Africa": _codes("ZA EG MA TN DZ NG KE TZ UG GH SN CI CM ET RW ZM ZW MZ BW NA MG MU"),
    "Middle East": _codes("AE SA QA KW BH OM JO IQ IL TR EG LB"),
    "Oceania": _codes("AU NZ FJ PG WS TO VU NC PF CK GU"),
    "Caribbean": _codes("JM BS BB TT DO PR AG LC VC GD KN DM AW CW KY TC VG VI"),
    "Balkans": _codes("AL BA BG HR XK ME MK RO RS SI GR"),
    "Gulf": _codes("AE SA QA KW BH OM"),
    "Southeast Asia": _codes("SG MY TH VN ID PH KH LA MM BN"),
    "Scandinavia": _codes("DK NO SE FI IS"),
    "North America": _codes("US CA MX"),
}

KNOWN_OPERATORS: dict[str, tuple[str, ...]] = {
    "JP": ("NTT Docomo", "SoftBank", "KDDI au"),
    "US": ("T-Mobile", "AT&T", "Verizon"),
    "GB": ("EE", "Vodafone UK", "O2 UK", "Three UK"),
    "FR": ("Orange France", "SFR", "Bouygues Telecom"),
    "DE": ("Telekom.de", "Vodafone.de", "O2 Germany"),
    "TR": ("Turkcell", "Vodafone TR", "Türk Telekom"),
    "IQ": ("Zain IQ", "Asiacell", "Korek"),
    "IT": ("TIM", "Vodafone IT", "WindTre"),
    "ES": ("Movistar", "Orange ES", "Vodafone ES"),
    "TH": ("AIS", "dtac", "TrueMove H"),
    "KR": ("SK Telecom", "KT", "LG U+"),
    "AE": ("Etisalat", "du"),
    "SA": ("STC", "Mobily", "Zain SA"),
}

OPERATOR_PATTERNS = ("{name} Telecom", "{name} Mobile", "Vista {name}", "{name}Cell")


@dataclass(frozen=True)
class Network:
    operator: str
    network_type: str
    country_iso2: str
    mcc: str
    mnc: str


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


@cache
def country_names() -> dict[str, str]:
    """Map every real country or territory code to its English CLDR name, sorted by name."""
    territories = Locale("en").territories
    countries = {
        code: name
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }
    return dict(sorted(countries.items(), key=lambda item: item[1]))


@cache
def networks_of(iso2: str) -> tuple[Network, ...]:
    """Return the country's networks: known operators, or one to three generated names."""
    name = country_names().get(iso2, iso2)
    seed = _digest(iso2)
    operators = KNOWN_OPERATORS.get(iso2)
    if operators is None:
        count = 1 + seed % 3
        short = name.split(" ")[0].split("(")[0].rstrip(",")
        operators = tuple(
            OPERATOR_PATTERNS[(seed + i) % len(OPERATOR_PATTERNS)].format(name=short)
            for i in range(count)
        )

    mcc = str(200 + seed % 600)
    has_5g = iso2 in MAJOR_MARKETS
    return tuple(
        Network(
            operator=operator,
            network_type="5G" if has_5g and i < 2 else "4G",
            country_iso2=iso2,
            mcc=mcc,
            mnc=f"{(seed >> 8) % 90 + i + 1:02d}",
        )
        for i, operator in enumerate(operators)
    )
