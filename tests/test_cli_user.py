"""`intake user`: console accounts from the command line; the password never on the command line."""
from __future__ import annotations

import io

import pytest

from intake import cli
from intake.store import IntakeStore
from intake.store.accounts import Accounts
from tests.web.console_data import cheap_password_hashing


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    monkeypatch.setenv("INTAKE_DB_URL", url)
    cheap_password_hashing(monkeypatch)
    return url


def run(monkeypatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(argv)


def accounts(url: str):
    store = IntakeStore(url)
    return Accounts(store.engine), store


def test_user_add_reads_the_password_from_stdin(db_url, monkeypatch, capsys):
    assert run(monkeypatch, ["user", "add", "Nurse.Kim", "--role", "nurse", "--password-stdin"],
               "kim-long-password\n") == 0
    assert "added nurse.kim (nurse)" in capsys.readouterr().out
    repo, store = accounts(db_url)
    try:
        assert repo.authenticate("nurse.kim", "kim-long-password").role == "nurse"
    finally:
        store.dispose()


def test_user_add_refuses_a_password_argument(db_url, monkeypatch, capsys):
    assert run(monkeypatch, ["user", "add", "nurse.kim", "--role", "nurse", "--password", "kim-long-password"]) == 1
    assert "never taken on the command line" in capsys.readouterr().err
    repo, store = accounts(db_url)
    try:
        assert repo.by_name("nurse.kim") is None
    finally:
        store.dispose()


def test_user_add_without_a_terminal_needs_password_stdin(db_url, monkeypatch, capsys):
    assert run(monkeypatch, ["user", "add", "nurse.kim", "--role", "admin"]) == 1
    assert "--password-stdin" in capsys.readouterr().err


@pytest.mark.parametrize("argv, stdin, message", [
    (["user", "add", "nurse.kim", "--role", "nurse", "--password-stdin"], "short\n", "at least 12"),
    (["user", "add", "x", "--role", "nurse", "--password-stdin"], "kim-long-password\n", "username"),
])
def test_user_add_refuses_bad_input(db_url, monkeypatch, capsys, argv, stdin, message):
    assert run(monkeypatch, argv, stdin) == 1
    assert message in capsys.readouterr().err


def test_user_add_refuses_an_unknown_role(db_url, monkeypatch):
    with pytest.raises(SystemExit) as exit_info:
        run(monkeypatch, ["user", "add", "nurse.kim", "--role", "doctor", "--password-stdin"], "kim-long-password\n")
    assert exit_info.value.code == 2


def test_duplicate_disable_enable_password_and_list(db_url, monkeypatch, capsys):
    argv = ["user", "add", "nurse.kim", "--role", "nurse", "--password-stdin"]
    assert run(monkeypatch, argv, "kim-long-password\n") == 0
    assert run(monkeypatch, argv, "kim-long-password\n") == 1
    assert "already exists" in capsys.readouterr().err
    assert run(monkeypatch, ["user", "disable", "nurse.kim"]) == 0
    capsys.readouterr()
    assert run(monkeypatch, ["user", "list"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.split()[:3] == ["nurse.kim", "nurse", "disabled"]
    assert run(monkeypatch, ["user", "enable", "nurse.kim"]) == 0
    assert run(monkeypatch, ["user", "password", "nurse.kim", "--password-stdin"], "a-newer-long-password\n") == 0
    repo, store = accounts(db_url)
    try:
        assert repo.authenticate("nurse.kim", "a-newer-long-password") is not None
    finally:
        store.dispose()
    assert run(monkeypatch, ["user", "disable", "nobody"]) == 1
