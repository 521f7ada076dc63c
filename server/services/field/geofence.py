"""Distances on the earth, for geofences."""

from math import asin, cos, radians, sin, sqrt

from server.services.platform.errors import Unprocessable

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1, lng1, lat2, lng2):
    """Great-circle distance in metres."""
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi, dlambda = radians(lat2 - lat1), radians(lng2 - lng1)
    a = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(sqrt(a))


def fence(place, lat, lng):
    """(distance_m, within): None for both when the place or the phone has no location."""
    if place.lat is None or lat is None:
        return None, None
    distance = round(haversine_m(place.lat, place.lng, lat, lng), 1)
    return distance, distance <= (place.radius_m or 0)


def where_checked_in(place, data, required):
    """The phone's position fields and the measured fence of a check-in at a post or a Party day;
    where the place requires it, no location or one outside the radius is a 422 naming the distance."""
    distance, within = fence(place, data.get("lat"), data.get("lng"))
    if required and place.lat is not None:
        if within is None:
            raise Unprocessable("errors.checkin_location_required", errors={"lat": ["errors.required"]})
        if not within:
            raise Unprocessable("errors.checkin_outside", distance=round(distance), radius=place.radius_m)
    return {
        "lat": data.get("lat"),
        "lng": data.get("lng"),
        "accuracy_m": data.get("accuracy_m"),
        "distance_m": distance,
        "within_geofence": within,
    }
