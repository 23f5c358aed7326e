"""`intake rekey`: re-seal everything with the first key of ``INTAKE_ENCRYPTION_KEYS``.

Rotation: put the new key first (``new,old``), restart the servers, run ``intake rekey``,
then drop the old key. Values written before encryption was switched on are sealed too.
Each batch is read and written in one locking transaction, so a bot writing at the same time
is never overwritten with older data.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from intake.crypto import sealer
from intake.store import IntakeStore
from intake.store.engine import write_transaction
from intake.store.tables import answers, intakes, messages

BATCH = 200

# table -> the sealed columns re-written through their column types (open with any key, seal
# with the first)
SEALED_COLUMNS = {
    intakes: ("patient_name", "phone", "summary"),
    answers: ("value", "text"),
    messages: ("text",),
}


@dataclass
class RekeyReport:
    rows: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return "re-sealed " + ", ".join(f"{count} {name}" for name, count in self.rows.items())


def _batches(engine: Engine, table, columns, handle) -> int:
    """Walk ``table`` by id in locked batches; ``handle(conn, table, columns, rows)`` rewrites one batch."""
    done, last_id = 0, 0
    while True:
        with write_transaction(engine) as conn:
            query = select(table.c.id, *(table.c[name] for name in columns)).where(table.c.id > last_id)
            query = query.order_by(table.c.id).limit(BATCH)
            if engine.dialect.name == "postgresql":
                query = query.with_for_update()
            rows = conn.execute(query).all()
            if not rows:
                return done
            handle(conn, table, columns, rows)
            done += len(rows)
            last_id = rows[-1].id


def _reseal_typed(conn: Connection, table, columns, rows) -> None:
    for row in rows:  # read through the sealed types (opened), written back through them (sealed)
        conn.execute(update(table).where(table.c.id == row.id).values({name: row._mapping[name] for name in columns}))


def _reseal_events(conn: Connection, table, columns, rows) -> None:
    seal = sealer()
    for row in rows:
        fresh = seal.reseal(row.data)
        if fresh != row.data:
            conn.execute(update(table).where(table.c.id == row.id).values(data=fresh))


def rekey(store: IntakeStore, trackers=None) -> RekeyReport:
    """Re-seal the intake store and, given Rasa's SQL tracker store, its events."""
    report = RekeyReport()
    for table, columns in SEALED_COLUMNS.items():
        report.rows[table.name] = _batches(store.engine, table, columns, _reseal_typed)
    if trackers is not None:
        events = trackers.SQLEvent.__table__
        report.rows["tracker events"] = _batches(trackers.engine, events, ("data",), _reseal_events)
    return report
