"""lib.access.users: the accounts file, its command line, and refusing plain-text passwords."""

from __future__ import annotations

import io
import stat

import pytest

from lib.access import auth, users
from tests.support.editing import CHEAP_HASHER

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def cheap(monkeypatch):
    monkeypatch.setattr(users, "HASHER", CHEAP_HASHER)


def run(path, *args, stdin: str = "", monkeypatch=None):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return users.main(["--file", str(path), *args])


def test_add_list_passwd_remove(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.toml"
    assert run(path, "add", "alice", "--role", "admin", "--display-name", "Alice Example",
               "--password-stdin", stdin="a long password\n", monkeypatch=monkeypatch) == 0  # fmt: skip
    assert run(path, "add", "bob", "--password-stdin", stdin="bob's password!\n",
               monkeypatch=monkeypatch) == 0  # fmt: skip
    text = path.read_text()
    assert "a long password" not in text and "$argon2id$" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    found = users.load(path)
    assert found.problems == []
    assert {n: a.role for n, a in found.users.items()} == {"alice": "admin", "bob": "editor"}
    assert users.verify(found, "alice", "a long password").display_name == "Alice Example"
    assert users.verify(found, "alice", "a wrong password") is None
    assert users.verify(found, "nobody", "a long password") is None

    capsys.readouterr()
    assert run(path, "list", monkeypatch=monkeypatch) == 0
    assert capsys.readouterr().out.splitlines() == ["alice\tadmin\tAlice Example", "bob\teditor\t"]

    stamp = found.users["bob"].stamp
    assert run(path, "passwd", "bob", "--password-stdin", stdin="a new password\n",
               monkeypatch=monkeypatch) == 0  # fmt: skip
    again = users.load(path)
    assert again.users["bob"].stamp != stamp  # the old logins end
    assert users.verify(again, "bob", "a new password")

    assert run(path, "remove", "bob", monkeypatch=monkeypatch) == 0
    assert set(users.load(path).users) == {"alice"}


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["add", "alice", "--password-stdin"], "short\n", "at least 10 characters"),
        (["add", "Alice!", "--password-stdin"], "a long password\n", "lower-case letters"),
        (["remove", "nobody"], "", "no account 'nobody'"),
    ],
)
def test_the_command_refuses_bad_input(tmp_path, monkeypatch, capsys, argv, stdin, message):
    path = tmp_path / "users.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert users.main(["--file", str(path), *argv]) == 1
    assert message in capsys.readouterr().err
    assert not path.exists()


def test_the_password_is_never_taken_from_the_command_line(tmp_path):
    with pytest.raises(SystemExit):
        users.main(["--file", str(tmp_path / "u.toml"), "add", "alice", "--password", "x" * 12])


def test_a_plain_text_password_refuses_the_whole_file(tmp_path):
    path = tmp_path / "users.toml"
    good = CHEAP_HASHER.hash("a long password")
    path.write_text(
        f'[users.alice]\nrole = "admin"\npassword_hash = "{good}"\n\n'
        '[users.bob]\nrole = "editor"\npassword = "hunter2hunter2"\n'
    )
    found = users.load(path)
    assert found.users == {}  # not even alice: the administrator must notice
    (problem,) = found.problems
    assert "account 'bob' has a plain-text password" in problem
    assert "python -m lib users passwd bob" in problem
    assert "hunter2" not in problem


def test_a_plain_text_value_in_password_hash_is_refused_too(tmp_path):
    path = tmp_path / "users.toml"
    path.write_text('[users.bob]\npassword_hash = "hunter2hunter2"\n')
    assert "plain-text password" in users.load(path).problems[0]


def test_passwd_mends_a_file_with_a_plain_text_password(tmp_path, monkeypatch):
    path = tmp_path / "users.toml"
    path.write_text('[users.bob]\nrole = "admin"\npassword = "hunter2hunter2"\n')
    assert run(path, "passwd", "bob", "--password-stdin", stdin="a new password\n",
               monkeypatch=monkeypatch) == 0  # fmt: skip
    assert "hunter2" not in path.read_text()
    found = users.load(path)
    assert found.problems == [] and found.users["bob"].role == "admin"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("not toml [", "cannot be read"),
        ('[users.bob]\nrole = "boss"\npassword_hash = "$argon2id$x"\n', "role 'boss'"),
        ('[users.bob]\nrole = "editor"\n', "no password_hash"),
    ],
)
def test_a_broken_users_file_says_what_is_wrong(tmp_path, content, fragment):
    path = tmp_path / "users.toml"
    path.write_text(content)
    found = users.load(path)
    assert found.users == {}
    assert fragment in found.problems[0]


def test_a_missing_file_means_no_accounts_and_no_problem(tmp_path):
    found = users.load(tmp_path / "none.toml")
    assert (found.users, found.problems, found.exists) == ({}, [], False)


def test_the_login_secret_is_created_once_and_private(tmp_path):
    key = users.login_secret(tmp_path)
    assert len(key) == 32 and users.login_secret(tmp_path) == key
    assert stat.S_IMODE((tmp_path / users.SECRET_FILE).stat().st_mode) == 0o600


# --- tokens (lib.access.auth) ---------------------------------------------------------------------------

KEY = b"k" * 32
ALICE = auth.Identity("alice", "editor", "stamp-1")


def test_a_token_reads_back_until_it_expires():
    token = auth.issue_token(ALICE, KEY, now=1000.0, hours=12)
    claims = auth.read_token(token, KEY, now=1000.0 + 12 * 3600 - 1)
    assert (claims.name, claims.stamp) == ("alice", "stamp-1")
    assert auth.read_token(token, KEY, now=1000.0 + 12 * 3600) is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: "e30" + t[t.index(".") :],  # payload changed ('{}')
        lambda t: t.replace(".", ""),
        lambda t: "",
        lambda t: "x" * 5000,
    ],
)
def test_a_forged_or_damaged_token_is_refused(mangle):
    token = auth.issue_token(ALICE, KEY, now=0.0, hours=1)
    assert auth.read_token(mangle(token), KEY, now=1.0) is None
    assert auth.read_token(token, b"another key" * 3, now=1.0) is None


def test_an_identity_ends_with_its_account_or_password(tmp_path):
    account = users.Account("alice", "editor", CHEAP_HASHER.hash("a long password"))
    found = users.Accounts(tmp_path, {"alice": account})
    identity = auth.account_identity(account)
    assert auth.current_identity("alice", identity.stamp, found, None) == identity
    assert auth.current_identity("alice", identity.stamp, users.Accounts(tmp_path), None) is None
    renewed = users.Account("alice", "editor", CHEAP_HASHER.hash("another password"))
    assert auth.current_identity("alice", identity.stamp, users.Accounts(tmp_path, {"alice": renewed}), None) is None  # fmt: skip
    shared = auth.shared_identity("pw")
    assert auth.current_identity(auth.SHARED_NAME, shared.stamp, found, "pw") == shared
    assert auth.current_identity(auth.SHARED_NAME, shared.stamp, found, "new") is None
    assert auth.current_identity(auth.SHARED_NAME, shared.stamp, found, None) is None


def test_the_throttle_slows_each_key_alone_and_stays_bounded():
    throttle = auth.Throttle(auth.Backoff(first_s=1, max_s=30), max_keys=3)
    assert throttle.record_failure(["address:1.2.3.4"], now=0.0) == 1
    assert throttle.wait_seconds(["address:1.2.3.4"], now=0.5) == pytest.approx(0.5)
    assert throttle.wait_seconds(["address:5.6.7.8"], now=0.5) == 0
    for n in range(10):
        throttle.record_failure([f"account:n{n}"], now=1.0)
    assert len(throttle._logs) == 3
