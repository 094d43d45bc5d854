"""Personal editor accounts: a TOML users file outside git, hashed passwords, two roles.

``python -m lib users add|remove|list|passwd NAME`` manages the file. Passwords are read from a
prompt (``getpass``) or, with ``--password-stdin``, from the first line of standard input; never
from the command line, where they would land in the shell history and ``ps``.

The file (``DASHBOARD_USERS_FILE``, default ``.streamlit/users.toml``, ignored by git)::

    [users.alice]
    role = "editor"                      # editor: changes data; admin: also restores versions
    password_hash = "$argon2id$v=19$..."  # argon2-cffi; never the password itself
    display_name = "Alice Example"       # optional, shown in the history
    email = "alice@example.org"          # optional, the git author's address

Loading never raises: a file that cannot be read, or that holds a password in plain text, gives
no accounts and a message saying what to do. The whole file is refused on one plain-text
password, so that an administrator notices at once instead of one editor being locked out.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import hashlib
import json
import os
import re
import secrets
import sys
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from lib.data import settings
from lib.data.storage import atomic_write_text

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = REPO_ROOT / ".streamlit" / "users.toml"
ROLES = ("editor", "admin")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MIN_PASSWORD = 10
SECRET_FILE = "login_secret"
#: The hash of an account that has no password yet: it looks hashed but matches nothing.
UNSET_HASH = "$argon2-unset"

#: argon2-cffi's defaults (RFC 9106 "low memory": 64 MiB, 3 passes). Tests swap in a cheaper
#: hasher; a hash keeps its own parameters, so verifying never depends on this object.
HASHER = PasswordHasher()
# Verified against when the account does not exist, so a wrong name costs as long as a wrong
# password and response times do not reveal which accounts exist.
_DUMMY_HASH: str | None = None


def users_file() -> Path:
    return Path(settings.value("DASHBOARD_USERS_FILE") or DEFAULT_FILE)


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    password_hash: str
    display_name: str = ""
    email: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def stamp(self) -> str:
        """Changes whenever the password does: login tokens carry it, so a new password (or a
        removed account) ends every session logged in with the old one."""
        return hashlib.sha256(b"account:" + self.password_hash.encode()).hexdigest()[:16]


@dataclass
class Accounts:
    """The accounts of one users file, or none and the reason (``problems``)."""

    path: Path
    users: dict[str, Account] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    exists: bool = False


def _looks_hashed(value: object) -> bool:
    return isinstance(value, str) and value.startswith("$argon2")


def load(path: Path | None = None) -> Accounts:
    """Read the users file. A missing file means no accounts (and no problem)."""
    path = Path(path or users_file())
    out = Accounts(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return out
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        out.exists = True
        out.problems.append(f"{path}: cannot be read ({exc}); no account can log in")
        return out
    out.exists = True
    table = data.get("users", {})
    if not isinstance(table, dict):
        out.problems.append(f"{path}: 'users' must be a table of accounts ([users.NAME])")
        return out
    users: dict[str, Account] = {}
    for name, entry in table.items():
        where = f"{path}: account '{name}'"
        if not isinstance(entry, dict):
            out.problems.append(f"{where} must be a table with role and password_hash")
            continue
        if "password" in entry or (
            "password_hash" in entry and not _looks_hashed(entry["password_hash"])
        ):
            out.problems.append(
                f"{where} has a plain-text password. Passwords are only stored hashed: delete "
                f"that line and run `python -m lib users passwd {name}`. The whole file is "
                "refused until then; no account can log in."
            )
            continue
        if not NAME_PATTERN.match(str(name)):
            out.problems.append(f"{where}: names are lower-case letters, digits, '-' and '_'")
            continue
        role = entry.get("role", "editor")
        if role not in ROLES:
            out.problems.append(f"{where}: role '{role}' is not one of {', '.join(ROLES)}")
            continue
        if not _looks_hashed(entry.get("password_hash")):
            out.problems.append(
                f"{where} has no password_hash; run `python -m lib users passwd {name}`"
            )
            continue
        users[name] = Account(
            name,
            role,
            entry["password_hash"],
            str(entry.get("display_name", "")),
            str(entry.get("email", "")),
        )
    if any("plain-text" in p for p in out.problems):
        users = {}
    out.users = users
    return out


def _toml_string(value: str) -> str:
    # JSON strings with ASCII escapes are valid TOML basic strings.
    return json.dumps(value, ensure_ascii=True)


def dump(accounts: dict[str, Account]) -> str:
    lines = [
        "# Editor accounts of the dashboard. Managed by `python -m lib users`; keep out of git.",
        "# Passwords are stored only as argon2 hashes.",
        "",
    ]
    for name in sorted(accounts):
        account = accounts[name]
        lines += [f"[users.{name}]", f"role = {_toml_string(account.role)}"]
        lines.append(f"password_hash = {_toml_string(account.password_hash)}")
        if account.display_name:
            lines.append(f"display_name = {_toml_string(account.display_name)}")
        if account.email:
            lines.append(f"email = {_toml_string(account.email)}")
        lines.append("")
    return "\n".join(lines)


def save(path: Path, accounts: dict[str, Account]) -> None:
    """Write the users file atomically, readable by its owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, dump(accounts))
    os.chmod(path, 0o600)


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify(accounts: Accounts, name: str, password: str) -> Account | None:
    """The account when ``password`` is its password; ``None`` otherwise (same cost either way)."""
    global _DUMMY_HASH
    account = accounts.users.get(name.strip().lower())
    if account is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = HASHER.hash(secrets.token_hex(16))
        target = _DUMMY_HASH
    else:
        target = account.password_hash
    # argon2 takes its memory (64 MiB by default) for each check: 24 logins at once took the
    # server from 209 MB to 1.5 GB. At most CHECK_SLOTS checks run at a time; the others wait.
    with _CHECK_SLOTS:
        try:
            PasswordHasher().verify(target, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
    return account


#: Password checks that may run at once (each holds argon2's memory while it runs).
CHECK_SLOTS = 2
_CHECK_SLOTS = threading.BoundedSemaphore(CHECK_SLOTS)
REVOKED_FILE = "revoked_logins"


def revoke(folder: Path, nonce: str, expires: float, now: float) -> None:
    """Remember, in ``folder/revoked_logins`` beside the login secret, that the login token
    with ``nonce`` was logged out (until it would expire anyway), so a restart keeps it out.
    Entries past their expiry are dropped. Never raises: the in-process list still holds."""
    path = Path(folder) / REVOKED_FILE
    with _revoked_lock, contextlib.suppress(OSError, ValueError):
        kept = [f"{n} {int(e)}" for n, e in _read_revoked(path).items() if e > now]
        kept.append(f"{nonce} {int(expires)}")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{REVOKED_FILE}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write("\n".join(kept) + "\n")
        os.replace(tmp, path)


def revoked(folder: Path, now: float) -> set[str]:
    """Nonces of login tokens logged out and not yet expired (see `revoke`)."""
    path = Path(folder) / REVOKED_FILE
    with _revoked_lock:
        return {n for n, e in _read_revoked(path).items() if e > now}


_revoked_lock = threading.Lock()


def _read_revoked(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, ValueError):
        return out
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            out[parts[0]] = float(parts[1])
    return out


def login_secret(folder: Path) -> bytes | None:
    """The key that signs login tokens, kept in ``folder/login_secret`` (created once, 0600).

    ``None`` when the folder cannot hold it; the caller then uses a key that lasts as long as
    the process (logins survive a reload, not a restart).
    """
    path = Path(folder) / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it meanwhile
        return login_secret(folder)
    except OSError:
        return None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return login_secret(folder)


# --- the command line ----------------------------------------------------------------------------


class _Refused(Exception):
    """A command that changes nothing; the message says why."""


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            raise _Refused("The two passwords differ; nothing was changed.")
    if len(password) < MIN_PASSWORD:
        raise _Refused(f"A password needs at least {MIN_PASSWORD} characters; nothing was changed.")
    return password


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except _Refused as exc:
        print(exc, file=sys.stderr)
        return 1


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lib users", description="Manage the editor accounts (the users file)."
    )
    parser.add_argument(
        "--file",
        type=Path,
        default=None,
        help="users file (default: DASHBOARD_USERS_FILE or .streamlit/users.toml)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create an account (asks for its password)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="editor")
    add.add_argument("--display-name", default="")
    add.add_argument("--email", default="")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    remove = sub.add_parser(
        "remove", help="delete an account; its open sessions can no longer save"
    )
    remove.add_argument("name")
    sub.add_parser("list", help="list the accounts and their roles")
    passwd = sub.add_parser("passwd", help="set a new password (ends the account's sessions)")
    passwd.add_argument("name")
    passwd.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )
    args = parser.parse_args(argv)

    path = args.file or users_file()
    accounts = load(path)
    plain_text = any("plain-text" in p for p in accounts.problems)
    if accounts.problems and not (plain_text and args.command == "passwd"):
        for problem in accounts.problems:
            print(problem, file=sys.stderr)
        if args.command != "list":
            return 1
    users = dict(accounts.users)
    if args.command == "list":
        if not users:
            print(f"no accounts in {path}")
        for name in sorted(users):
            account = users[name]
            print(f"{name}\t{account.role}\t{account.display_name}")
        return 1 if accounts.problems else 0
    if not NAME_PATTERN.match(args.name):
        print("names are lower-case letters, digits, '-' and '_' (at most 40)", file=sys.stderr)
        return 1
    if args.command == "add":
        if args.name in users:
            print(
                f"account '{args.name}' exists; use passwd to change its password", file=sys.stderr
            )
            return 1
        users[args.name] = Account(args.name, args.role, hash_password(_read_password(args)),
                                   args.display_name, args.email)  # fmt: skip
        message = f"added {args.name} ({args.role}) to {path}"
    elif args.command == "remove":
        if users.pop(args.name, None) is None:
            print(f"no account '{args.name}' in {path}", file=sys.stderr)
            return 1
        message = f"removed {args.name} from {path}; its open sessions can no longer save"
    else:  # passwd
        if plain_text:
            users = _rescue_plain_text(path)
        old = users.get(args.name)
        if old is None:
            print(f"no account '{args.name}' in {path}", file=sys.stderr)
            return 1
        users[args.name] = Account(old.name, old.role, hash_password(_read_password(args)),
                                   old.display_name, old.email)  # fmt: skip
        message = f"new password set for {args.name}; its other sessions are logged out"
    save(path, users)
    print(message)
    return 0


def _rescue_plain_text(path: Path) -> dict[str, Account]:
    """The accounts of a file refused for plain-text passwords, for ``passwd`` to mend it: the
    offending entries keep their role but lose the password (it is never copied)."""
    data = tomllib.loads(path.read_text(encoding="utf-8")).get("users", {})
    out = {}
    for key, entry in data.items():
        if not isinstance(entry, dict) or not NAME_PATTERN.match(str(key)):
            continue
        role = entry.get("role", "editor") if entry.get("role") in ROLES else "editor"
        hashed = entry.get("password_hash") if _looks_hashed(entry.get("password_hash")) else ""
        # An account whose password was in plain text keeps its place but cannot log in
        # until ``passwd`` gives it one.
        out[key] = Account(key, role, hashed or UNSET_HASH,
                           str(entry.get("display_name", "")), str(entry.get("email", "")))  # fmt: skip
    return out


if __name__ == "__main__":
    raise SystemExit(main())
