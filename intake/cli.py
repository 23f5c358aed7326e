"""``intake``: command-line access to the intake store for nurses, scripts and the simulator.

Each subcommand is one ``cmd_*`` function registered in ``COMMANDS``; add new ones there.
Exit codes: 0 success, 1 nothing found / bad request, 2 database unavailable or failing.
Errors are a single ``intake: ...`` line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from typing import Callable

from sqlalchemy.exc import SQLAlchemyError

from intake.crypto import EncryptionError
from intake.store import IntakeStore, StoreUnavailable, migrate
from intake.store.migrations import head_revision

PROG = "intake"
STATUSES = ("in_progress", "completed", "emergency", "handed_off", "abandoned")

EXIT_OK, EXIT_NOT_FOUND, EXIT_UNAVAILABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line too."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message}\n")


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _out(text: str) -> None:
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a non-UTF-8 terminal: still emit the exact characters
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _err(message: str) -> None:
    print(f"{PROG}: {_one_line(message)}", file=sys.stderr)


def _open_store() -> IntakeStore:
    return IntakeStore()


# -- commands ------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    """Print one conversation's summary as a JSON document."""
    store = _open_store()
    try:
        summary = store.get_summary(args.conversation_id)
    finally:
        store.dispose()
    if summary is None:
        _err(f"no intake for conversation {args.conversation_id!r}")
        return EXIT_NOT_FOUND
    _out(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """Print recent intakes, newest first, one aligned line each."""
    store = _open_store()
    try:
        rows = store.list_recent(limit=args.limit, status=args.status)
    finally:
        store.dispose()
    table = [
        [
            row.updated_at.strftime("%Y-%m-%d %H:%M"),
            row.status,
            row.urgency or "-",
            _one_line(row.conversation_id),
            str(row.answer_count),
            _one_line(row.patient_name) if row.patient_name else "-",
        ]
        for row in rows
    ]
    widths = [max((len(cells[i]) for cells in table), default=0) for i in range(5)]
    lines = ["  ".join([c.ljust(w) for c, w in zip(cells, widths)] + [cells[5]]) for cells in table]
    _out("".join(line + "\n" for line in lines))
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    """Upgrade the store's database to the newest schema."""
    migrate()
    _out(f"intake store at revision {head_revision()}\n")
    return EXIT_OK


def cmd_route(args: argparse.Namespace) -> int:
    """Apply the routing rules to a summary and show the decision and every fired rule.

    For clinicians checking a rule change before it goes live: --rules names the edited file.
    """
    from intake.routing import RulesError, decide, default_rules, facts_of, load_rules

    try:
        rules = load_rules(args.rules) if args.rules else default_rules()
    except (RulesError, OSError) as error:
        _err(f"rules not loaded: {error}")
        return EXIT_NOT_FOUND
    if args.summary is None:
        _out(f"rules OK: {len(rules.rules)} rules, {len(rules.modifiers)} modifiers\n")
        return EXIT_OK
    try:
        raw = sys.stdin.read() if args.summary == "-" else open(args.summary, encoding="utf-8").read()
        summary = json.loads(raw)
        history = summary["history"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        _err(f"cannot read a summary from {args.summary}: {type(error).__name__}: {error}")
        return EXIT_NOT_FOUND
    decision = decide(facts_of(history), rules)
    if args.json:
        _out(json.dumps(decision.as_triage(), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    lines = [f"urgency: {decision.urgency}", f"clinics: {', '.join(decision.clinics)}", "fired rules:"]
    lines += [f"  {r['rule']:<22} {r.get('urgency') or 'modifier':<9} {r['text']}" for r in decision.reasons]
    _out("\n".join(lines) + "\n")
    return EXIT_OK


def cmd_terms(args: argparse.Namespace) -> int:
    """Show what the language pipeline reads in a sentence: for checking a lexicon change."""
    from datetime import date

    from intake.language.reading import read
    from intake.parsing.answers import parse_answer
    from intake.questions import by_field

    reading = read(args.text, date.today(), args.asked)
    fixed = [f"{t.text}->{t.norm_}" for t in reading.doc if t.norm_ != t.lower_ and t.is_alpha]
    if fixed:
        _out("spelling: " + ", ".join(fixed) + "\n")
    for f in reading.findings:
        state = ",".join(k for k in ("negated", "uncertain", "historical", "past", "hypothetical", "other_person")
                         if getattr(f, k)) or "yes"
        _out(f"{f.field:<18} {f.value:<28} {state:<12} {f.text!r}\n")
    for t in reading.times:
        _out(f"time   {t.event:<15} {t.date.isoformat() if t.date else 'since birth':<12} {t.text!r}\n")
    if reading.onset:
        _out(f"onset  {reading.onset.days_since_onset} days ago ({reading.onset.text!r})\n")
    if reading.crisis:
        _out(f"crisis {reading.crisis}\n")
    for ent in reading.doc.ents:
        _out(f"entity {ent.label_:<11} {ent.kb_id_ or '-':<28} {ent.text!r}\n")
    if args.asked:
        if args.asked not in by_field():
            _err(f"no question {args.asked!r}")
            return EXIT_NOT_FOUND
        answer = parse_answer(by_field()[args.asked], args.text, date.today())
        shown = json.dumps(answer.value) if answer.understood else ("clarify: " + answer.clarify if answer.clarify
                                                                    else "not understood")
        _out(f"answer to {args.asked}: {shown}\n")
    return EXIT_OK


def cmd_reconcile(args: argparse.Namespace) -> int:
    """Complete the intake store from Rasa's tracker store (after a database outage)."""
    import time

    from intake.reconcile import reconcile

    while True:
        try:
            _out(f"{datetime_now()} reconcile: {reconcile()}\n")
        except StoreUnavailable as error:
            if not args.every:
                raise
            _err(f"store unavailable, retrying in {args.every} s: {error}")
        if not args.every:
            return EXIT_OK
        time.sleep(args.every)


def _tracker_store(args: argparse.Namespace):
    """Rasa's tracker store from the TRACKER_DB_* settings, or None with --no-tracker-store."""
    if args.no_tracker_store:
        return None
    from intake.tracker_store import from_environment

    return from_environment()


def cmd_purge(args: argparse.Namespace) -> int:
    """Remove conversations idle for more than DAYS: summaries, answers, messages, nurses' notes
    and Rasa's tracker events. Queue searches older than that lose their search terms."""
    from intake.retention import purge

    store = _open_store()
    try:
        report = purge(args.older_than, store=store, trackers=_tracker_store(args), dry_run=args.dry_run)
    finally:
        store.dispose()
    _out(f"{report}\n")
    return EXIT_OK


def _add_purge(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--older-than", type=_positive_int, required=True, metavar="DAYS",
                     help="remove conversations with no activity for more than DAYS days")
    sub.add_argument("--dry-run", action="store_true", help="count what would go, remove nothing")
    _add_tracker_option(sub)


def _add_tracker_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--no-tracker-store", action="store_true",
                     help="leave Rasa's tracker store alone (only the intake store)")


def cmd_keygen(args: argparse.Namespace) -> int:
    """Print a new encryption key for INTAKE_ENCRYPTION_KEYS."""
    from intake.crypto import new_key

    _out(new_key() + "\n")
    return EXIT_OK


def cmd_rekey(args: argparse.Namespace) -> int:
    """Re-seal stored personal data with the first key of INTAKE_ENCRYPTION_KEYS (key rotation)."""
    from intake.rekey import rekey

    store = _open_store()
    try:
        report = rekey(store, _tracker_store(args))
    finally:
        store.dispose()
    _out(f"{report}\n")
    return EXIT_OK


def datetime_now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _add_reconcile(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--every", type=_positive_int, metavar="SECONDS", help="repeat every SECONDS (a watcher)")


def _read_password(args: argparse.Namespace) -> str:
    """From stdin (--password-stdin: the first line) or typed twice at a hidden prompt; never argv."""
    if args.password_argument is not None:
        raise _UsageError("a password is never taken on the command line (shell history, process list): "
                          "use --password-stdin or type it at the prompt")
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise _UsageError("no terminal to ask for the password: pipe it in with --password-stdin")
    import getpass

    password = getpass.getpass(f"Password for {args.username}: ")
    if getpass.getpass("Again: ") != password:
        raise _UsageError("the passwords differ")
    return password


class _UsageError(Exception):
    """A request the command cannot do; the message is shown as is."""


def cmd_user(args: argparse.Namespace) -> int:
    """Manage nurse console accounts (roles: nurse, admin). Passwords are stored as argon2 hashes.

    The password is read from stdin with --password-stdin, or asked at a hidden prompt:
    it is never an argument, so it stays out of shell history and process lists.
    """
    from intake.store.accounts import AccountError, Accounts

    store = _open_store()
    try:
        accounts = Accounts(store.engine)
        try:
            if args.action == "add":
                user = accounts.create(args.username, _read_password(args), args.role)
                _out(f"added {user.username} ({user.role})\n")
            elif args.action == "password":
                accounts.set_password(args.username, _read_password(args))
                _out(f"password changed for {args.username.strip().lower()}; their sessions were ended\n")
            elif args.action in ("disable", "enable"):
                accounts.set_active(args.username, args.action == "enable")
                _out(f"{args.username.strip().lower()} {args.action}d\n")
            else:
                for user in accounts.all():
                    last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
                    state = "active" if user.active else "disabled"
                    _out(f"{user.username:<24} {user.role:<6} {state:<8} last sign-in {last}\n")
        except (AccountError, _UsageError) as problem:
            _err(str(problem))
            return EXIT_NOT_FOUND
    finally:
        store.dispose()
    return EXIT_OK


def _add_user(sub: argparse.ArgumentParser) -> None:
    actions = sub.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    add = actions.add_parser("add", help="create an account", allow_abbrev=False)
    add.add_argument("username")
    add.add_argument("--role", choices=("nurse", "admin"), required=True)
    password = actions.add_parser("password", help="set a new password (ends the user's sessions)",
                                  allow_abbrev=False)
    password.add_argument("username")
    for parser in (add, password):
        parser.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        parser.add_argument("--password", dest="password_argument", help=argparse.SUPPRESS)
    for name, text in (("disable", "disable an account (ends its sessions)"), ("enable", "enable an account")):
        actions.add_parser(name, help=text).add_argument("username")
    actions.add_parser("list", help="list accounts")


def _add_terms(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("text", help="what a patient might write")
    sub.add_argument("--asked", metavar="FIELD", help="read it as the answer to this question")


def _add_route(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("summary", nargs="?", metavar="SUMMARY.json",
                     help="an intake summary (as `intake export` prints it), or - for stdin; "
                          "without it, only check the rules")
    sub.add_argument("--rules", help="a rules file to use instead of the installed one")
    sub.add_argument("--json", action="store_true", help="print the decision as JSON")


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _add_export(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("conversation_id", metavar="ID", help="conversation (Rasa sender) id")


def _add_list(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--limit", type=_positive_int, default=20, help="how many (default 20)")
    sub.add_argument("--status", choices=STATUSES, help="only intakes with this status")


# name -> (handler, help, argument builder)
COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str, Callable[[argparse.ArgumentParser], None]]] = {
    "export": (cmd_export, "print a conversation's intake summary as JSON", _add_export),
    "list": (cmd_list, "list recent intakes", _add_list),
    "migrate": (cmd_migrate, "upgrade the database schema to the newest revision", lambda sub: None),
    "route": (cmd_route, "show the routing decision and fired rules for a summary", _add_route),
    "terms": (cmd_terms, "show what the language pipeline reads in a sentence", _add_terms),
    "reconcile": (cmd_reconcile, "complete the intake store from Rasa's tracker store", _add_reconcile),
    "purge": (cmd_purge, "remove conversations idle for more than DAYS days (both stores)", _add_purge),
    "keygen": (cmd_keygen, "print a new encryption key", lambda sub: None),
    "rekey": (cmd_rekey, "re-seal stored personal data with the newest key", _add_tracker_option),
    "user": (cmd_user, "manage nurse console accounts (add, password, disable, enable, list)", _add_user),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Facial palsy intake store. Uses INTAKE_DB_URL, else the embedded SQLite file.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name, (handler, help_text, add_arguments) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=handler.__doc__)
        add_arguments(sub)
        sub.set_defaults(handler=handler)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    root = logging.getLogger()
    if not root.handlers:  # keep library warnings off stderr: errors are reported below, once
        root.addHandler(logging.NullHandler())
    try:
        return args.handler(args)
    except StoreUnavailable as error:
        _err(str(error))
    except SQLAlchemyError as error:
        _err(f"database error: {type(error).__name__}: {getattr(error, 'orig', None) or error}")
    except EncryptionError as error:
        _err(f"encryption: {error}")
    except ValueError as error:  # e.g. an unsupported INTAKE_DB_URL or a bad pool setting
        _err(f"configuration error: {error}")
    except BrokenPipeError:  # `intake list | head`: stop quietly, like other Unix tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return EXIT_UNAVAILABLE


if __name__ == "__main__":
    sys.exit(main())
