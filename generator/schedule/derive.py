"""The schedule's derive step: occurrences, publication record, feeds and open data.

derive() returns the Schedule the render steps read; the publication record in it is saved
(save_ledger) only after a real publish, so a build that fails never advances a SEQUENCE
that no subscriber has seen.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..content import Content
from ..context import BuildContext
from . import atom, events_csv, ics, ledger
from .occurrences import Occurrence, all_occurrences


@dataclass
class Schedule:
    occurrences: list[Occurrence]
    ledger: ledger.Ledger
    feeds: dict[str, str]  # "all", "course:<id>", "venue:<id>", "session:<id>" -> site path


def derive(content: Content, ctx: BuildContext) -> Schedule:
    venues = {v.id: v for v in content.venues}
    record = ledger.update(ledger.read(ctx.root), content.courses, venues, [i.id for i in content.items], ctx.today)
    feeds = ics.write_calendars(ctx, content.courses, venues, record.sessions)
    occurrences = all_occurrences(content.courses, content.venues)
    events_csv.write(ctx, occurrences)
    atom.write(ctx, content, record)
    return Schedule(occurrences, record, feeds)


def save_ledger(ctx: BuildContext, schedule: Schedule) -> None:
    ledger.save(ctx.root, schedule.ledger)
