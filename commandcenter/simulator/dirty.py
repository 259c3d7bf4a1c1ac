"""Contract-violating records, as real upstream systems send them (`--dirty`).

Each corrupted item is an extra item (the valid ones stay exactly valid), of one
known defect; every one is recorded so that tests can check it was quarantined.
"""

from __future__ import annotations

import copy
import random
from datetime import datetime

DEFECTS = (
    "coordinates out of range",
    "wrong type",
    "missing id",
    "duplicate id",
    "negative count",
    "unparseable time",
)
BAD_TIMES = ("2026-13-45T25:61:00+08:00", "yesterday", "24/11/2026 09:30")
RATE = 0.015


def _corrupt(feed: str, item: dict, id_field: str, defect: str, n: int) -> dict | None:
    bad = copy.deepcopy(item)
    if defect != "duplicate id":
        bad[id_field] = f"{item[id_field]}-X{n}"
    if defect == "coordinates out of range":
        if "lat" not in bad:
            return None
        bad["lat"] = 123.4 if n % 2 else -95.0
    elif defect == "wrong type":
        if feed == "service_points":
            bad["lng"] = str(bad["lng"]) if n % 2 else bad["lng"]
            if n % 2 == 0:
                bad["staffOnDuty"] = "three"
        elif feed == "cameras":
            bad["online"] = "yes"
        elif feed == "orgs":
            bad["name"] = 12345
        else:
            return None
    elif defect == "missing id":
        del bad[id_field]
    elif defect == "duplicate id":
        bad["name"] = f"{bad.get('name', '')}（重复）"
    elif defect == "negative count":
        if feed != "service_points":
            return None
        bad["staffOnDuty"] = -3
    elif defect == "unparseable time":
        bad["updatedAt"] = BAD_TIMES[n % len(BAD_TIMES)]
    return bad


def corrupt_collection(
    feed: str, items, id_field: str, seed: int
) -> tuple[list[dict], list[tuple]]:
    rng = random.Random(f"{seed}-{feed}")
    out: list[dict] = []
    records = []
    n = 0
    for item in items:
        out.append(item)
        if item.get("deleted") or rng.random() >= RATE:
            continue
        defect = DEFECTS[n % len(DEFECTS)]
        bad = _corrupt(feed, item, id_field, defect, n)
        n += 1
        if bad is None:
            continue
        out.append(bad)
        records.append((feed, bad.get(id_field), defect))
    return out, records


def corrupt_log(feed: str, log, seed: int, now: datetime) -> list[tuple]:
    """Append a few broken rows to a cursor feed's log."""
    rng = random.Random(f"{seed}-{feed}")
    recent = [row for _, row in log.entries_after(max(0, log.last_seq - 200), 200)]
    records = []
    for n in range(12):
        row = copy.deepcopy(rng.choice(recent))
        if feed.startswith("stats"):
            defect = ("negative count", "unparseable time", "wrong type", "missing id")[n % 4]
            if defect == "negative count":
                row["received"] = -3
            elif defect == "unparseable time":
                row["bucket"] = BAD_TIMES[n % len(BAD_TIMES)]
            elif defect == "wrong type":
                row["pending"] = "12"
            else:
                del row["orgCode"]
            record_id = "|".join(str(row.get(k)) for k in ("bucket", "orgCode", "category"))
        else:
            defect = ("coordinates out of range", "wrong type", "missing id", "unparseable time")[
                n % 4
            ]
            row["alertId"] = f"{row['alertId']}-X{n}"
            if defect == "coordinates out of range":
                row["lng"] = 200.5
            elif defect == "wrong type":
                row["severity"] = "high"
            elif defect == "missing id":
                del row["alertId"]
            else:
                row["occurredAt"] = BAD_TIMES[n % len(BAD_TIMES)]
            record_id = row.get("alertId")
        log.append(row, now)
        records.append((feed, record_id, defect))
    return records
