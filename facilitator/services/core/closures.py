"""Days the programme is closed: the public holidays of its country and region, and its own
closure days. Deadlines counted in working days (telling a referrer of a breach) skip them, so
a task never falls due on Christmas Day.

Public holidays come from the `holidays` library (settings `programme.country`, an ISO 3166
code, and `programme.subdivision`; England by default, whose bank holidays Wales shares); the
programme's own closure days are `rules.holidays`, as YYYY-MM-DD.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from facilitator.domain.values import parse_date
from facilitator.errors import InvalidInput
from facilitator.services.core.office import Office

DEFAULT_COUNTRY = "GB"
DEFAULT_SUBDIVISION = "ENG"


def closed_days(office: Office, start: date, years: int = 2) -> list[str]:
    """Every closed day (YYYY-MM-DD) from the start of `start`'s year, for `years` years."""
    return sorted(closed_day_names(office, start, years))


def closed_day_names(office: Office, start: date, years: int = 2) -> dict[str, str]:
    """Every closed day (YYYY-MM-DD) from the start of `start`'s year, for `years` years, with
    what closes it (the holiday's name, or "closure day" for the programme's own)."""
    country = str(office.setting("programme.country", DEFAULT_COUNTRY) or "").strip()
    region = str(office.setting("programme.subdivision", DEFAULT_SUBDIVISION) or "").strip()
    own = {
        parse_date(day, "closure day (rules.holidays)").isoformat(): "closure day"
        for day in office.setting("rules.holidays", []) or []
    }
    if not country:
        return own
    try:
        public = _public_holidays(country, region, start.year, years)
    except NotImplementedError:
        raise InvalidInput(
            f"settings: programme.country {country!r} with programme.subdivision {region!r} "
            "is not a country and region the holidays library knows (e.g. GB and ENG, WLS, "
            'SCT or NIR; or set programme.country to "" for the programme\'s own days only)'
        ) from None
    return public | own


@lru_cache(maxsize=64)
def _public_holidays(country: str, region: str, first_year: int, years: int) -> dict[str, str]:
    """The public holidays of those years (the same every time: kept, as building them costs
    milliseconds and a plan asks often)."""
    # Imported here: the library takes a few tenths of a second to load, and only commands that
    # set a deadline in working days or plan sessions need it.
    import holidays

    span = list(range(first_year, first_year + years))
    found = holidays.country_holidays(country, subdiv=region or None, years=span)
    return {d.isoformat(): str(name) for d, name in found.items()}
