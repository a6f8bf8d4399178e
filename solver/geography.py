"""Travel: great-circle km between area centres (objective level 4, spec)."""
from __future__ import annotations

import math

from .domain import Area, Assessor, Inspection, Instance

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def area_km(a: Area, b: Area) -> int:
    """Great-circle km between two area centres, rounded (once per deployment)."""
    return int(round(haversine_km(a.lat, a.lon, b.lat, b.lon)))


def travel_km(instance: Instance, assessor: Assessor, inspection: Inspection) -> int:
    """Travel of one deployment: from the home area's centre to the inspection area's."""
    return area_km(instance.area_by_id[assessor.home_area], instance.area_by_id[inspection.area])
