"""schema.org Event JSON-LD for a course page: one Event per occurrence, so search engines
and assistants show the right date, place, price and whether it was cancelled or moved.

It goes into the page as <script type="application/ld+json">: a data block that browsers
never execute, so it is allowed under the site's script-src 'self' policy. "<", ">" and "&"
are escaped as \\u003c etc., so no text from content can close the block.
"""
from __future__ import annotations

import json

from ..context import BuildContext
from ..models.schedule import Course
from .occurrences import Occurrence, at


def _event(ctx: BuildContext, course: Course, o: Occurrence) -> dict:
    venue = o.venue
    url = ctx.url(f"classes/{course.id}/")
    place: dict = {
        "@type": "Place",
        "name": venue.name.ja + (f" {o.room}" if o.room else ""),
        "address": {"@type": "PostalAddress", "streetAddress": venue.address.ja, "addressLocality": ctx.config.ward.city,
                    "addressRegion": ctx.config.ward.prefecture, "addressCountry": "JP"},
    }
    if venue.lat is not None and venue.lon is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": venue.lat, "longitude": venue.lon}
    status = "https://schema.org/EventScheduled"
    if o.cancelled:
        status = "https://schema.org/EventCancelled"
    elif o.moved:
        status = "https://schema.org/EventRescheduled"
    event: dict = {
        "@type": "Event",
        "name": course.title.ja,
        "startDate": o.start.isoformat(),
        "endDate": o.end.isoformat(),
        "eventStatus": status,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {"@type": "GovernmentOrganization", "name": ctx.config.ward.city or ctx.config.site_name,
                      "url": ctx.site_url},
        "offers": {"@type": "Offer", "price": course.fee, "priceCurrency": "JPY", "url": url,
                   "availability": "https://schema.org/SoldOut" if o.status in ("満員", "中止")
                   else "https://schema.org/LimitedAvailability" if o.status == "残りわずか"
                   else "https://schema.org/InStock"},
        "maximumAttendeeCapacity": o.capacity,
        "inLanguage": "ja",
        "url": url,
    }
    if o.moved:
        event["previousStartDate"] = at(o.original, o.session.start).isoformat()
    if course.description:
        event["description"] = course.description.ja
    if course.instructor:
        event["performer"] = {"@type": "Person", "name": course.instructor.ja}
    return event


def course_jsonld(ctx: BuildContext, course: Course, occurrences: list[Occurrence]) -> str:
    data = {"@context": "https://schema.org", "@graph": [_event(ctx, course, o) for o in occurrences]}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'
