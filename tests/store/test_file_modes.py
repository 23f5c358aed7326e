"""Patient data files are readable by their owner only, however they are first created."""
from __future__ import annotations

import os
import stat

from sqlalchemy import text

from intake.store.engine import make_engine


def test_an_sqlite_store_and_its_journal_files_are_0600(tmp_path):
    old = os.umask(0o022)                   # a permissive umask, as a user's shell often has
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
        with engine.begin() as conn:
            conn.execute(text("PRAGMA journal_mode=WAL"))
            conn.execute(text("CREATE TABLE t (x TEXT)"))
            conn.execute(text("INSERT INTO t VALUES ('Ada')"))
        engine.dispose()
        engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
        with engine.connect() as conn:
            conn.execute(text("SELECT * FROM t")).all()
        files = [p for p in tmp_path.iterdir() if p.name.startswith("intake.db")]
        assert files
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files), \
            {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
        engine.dispose()
    finally:
        os.umask(old)
