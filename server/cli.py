"""The ``homevisit-server`` command.

homevisit-server [serve] [--host H] [--port P] [--data-dir DIR] [--database-url URL]
homevisit-server create-user NAME (--password-file FILE | prompted | --password P) --role ROLE --region CODE…
homevisit-server seed --households N [--seed S]
homevisit-server revoke NAME [--device ID]          (a lost laptop: it cannot log in until enrolled again)
homevisit-server enroll-device ID
homevisit-server deactivate NAME | reactivate NAME
homevisit-server reset-password NAME [--password-file FILE]
homevisit-server set-role NAME ROLE
homevisit-server set-regions NAME --region CODE [--region CODE…]
homevisit-server import-roster FILE --region CODE [--dry-run] [--report FILE.json]
homevisit-server publish-form FILE.json [--forms-dir DIR]

A password on the command line is visible to every user of the machine (``ps``) and
stays in the shell's history: ``--password`` still works for scripts but warns; use
``--password-file`` or type it at the prompt. Every account command is audited.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlmodel import Session

from server.core.config import Settings

_COMMANDS = (
    "serve",
    "create-user",
    "seed",
    "revoke",
    "enroll-device",
    "deactivate",
    "reactivate",
    "reset-password",
    "set-role",
    "set-regions",
    "import-roster",
    "publish-form",
)
_ROLES = ["worker", "acceptor", "supervisor", "admin"]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir", type=Path, help="folder for the SQLite file and attachments (default: server-data)"
    )
    p.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="homevisit-server", description="HomeVisit 同步服务器")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the server (the default)")
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--ssl-certfile", type=Path, help="PEM certificate (chain) to serve HTTPS")
    serve.add_argument("--ssl-keyfile", type=Path, help="PEM private key of --ssl-certfile")
    serve.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="behind a reverse proxy: the proxy's addresses whose X-Forwarded-For/-Proto are trusted",
    )
    user = sub.add_parser("create-user", help="create an account")
    _common(user)
    user.add_argument("name")
    _password_options(user)
    user.add_argument("--role", default="worker", choices=_ROLES)
    user.add_argument("--region", action="append", default=[], help="region-code prefix (repeat for more)")
    user.add_argument("--display-name", default="")
    seed = sub.add_parser("seed", help="fill the database with synthetic households")
    _common(seed)
    seed.add_argument("--households", type=int, required=True)
    seed.add_argument("--seed", type=int, default=0)
    seed.add_argument("--region", action="append", default=None, help="limit to these region prefixes")
    revoke = sub.add_parser("revoke", help="revoke a user's logins (a lost laptop)")
    _common(revoke)
    revoke.add_argument("name")
    revoke.add_argument("--device")
    enroll = sub.add_parser("enroll-device", help="let a revoked device log in again")
    _common(enroll)
    enroll.add_argument("device")
    for name, what in (("deactivate", "disable an account"), ("reactivate", "enable an account again")):
        cmd = sub.add_parser(name, help=what)
        _common(cmd)
        cmd.add_argument("name")
    reset = sub.add_parser("reset-password", help="give an account a new password")
    _common(reset)
    reset.add_argument("name")
    _password_options(reset)
    role = sub.add_parser("set-role", help="change an account's role")
    _common(role)
    role.add_argument("name")
    role.add_argument("role", choices=_ROLES)
    regions = sub.add_parser("set-regions", help="change an account's regions")
    _common(regions)
    regions.add_argument("name")
    regions.add_argument("--region", action="append", default=[], required=True)
    from server import roster_import

    roster_import.add_parser(sub, _common)
    from server import forms_publish

    forms_publish.add_parser(sub, _common)
    return parser


def _password_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-file", type=Path, help="read the password from the first line of FILE")
    p.add_argument("--password", help="discouraged: visible in the process list and shell history")


class _BadArgs(ValueError):
    """A command line that cannot be carried out (Chinese message, exit code 2)."""


def _read_password(args: argparse.Namespace) -> str:
    """From ``--password-file``, else ``--password`` (with a warning), else typed twice at a prompt."""
    if args.password_file is not None:
        try:
            lines = args.password_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise _BadArgs(f"无法读取密码文件：{exc}") from exc
        if not lines or not lines[0]:
            raise _BadArgs("密码文件的第一行是空的")
        return lines[0]
    if args.password is not None:
        print(
            "警告：命令行上的密码会被本机其他用户看到并留在命令历史中，请改用 --password-file 或按提示输入",
            file=sys.stderr,
        )
        return str(args.password)
    import getpass

    if not sys.stdin.isatty():
        raise _BadArgs("请用 --password-file 指定密码文件，或在终端中按提示输入密码")
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise _BadArgs("两次输入的密码不一致")
    return first


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    if args.database_url:
        overrides["database_url"] = args.database_url
    return Settings(**overrides)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; ``serve`` when no command is given."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in _COMMANDS and argv[0] not in ("-h", "--help"):
        argv.insert(0, "serve")
    args = _parser().parse_args(argv)
    settings = _settings(args)
    if args.command == "serve":
        import uvicorn

        from server.core.logging import configure_logging
        from server.main import create_app

        configure_logging(json_lines=settings.log_json)
        if (args.ssl_certfile is None) != (args.ssl_keyfile is None):
            print("--ssl-certfile 与 --ssl-keyfile 需同时给出", file=sys.stderr)
            return 2
        tls = {}
        if args.ssl_certfile is not None:
            tls = {"ssl_certfile": str(args.ssl_certfile), "ssl_keyfile": str(args.ssl_keyfile)}
        uvicorn.run(
            create_app(settings),
            host=args.host,
            port=args.port,
            log_config=None,
            access_log=False,
            # Laptops sync every few seconds to minutes; keep their idle connections open longer
            # than uvicorn's 5 s so a request does not race the server closing the socket.
            timeout_keep_alive=75,
            server_header=False,
            proxy_headers=args.forwarded_allow_ips is not None,
            forwarded_allow_ips=args.forwarded_allow_ips,
            **tls,  # type: ignore[arg-type]
        )
        return 0
    if args.command == "import-roster":
        from server.roster_import import run

        return run(args, settings)
    if args.command == "publish-form":
        from server.forms_publish import run as publish

        return publish(args, settings)
    try:
        print(json.dumps(_run_admin(args, settings), ensure_ascii=False))
    except (_BadArgs, ValueError) as exc:
        print(f"无法完成：{exc}", file=sys.stderr)
        return 2
    return 0


def _run_admin(args: argparse.Namespace, settings: Settings) -> dict[str, object]:
    """Every command but ``serve``: its JSON answer, or ``_BadArgs``/``ValueError`` (exit 2)."""
    password = _read_password(args) if args.command in ("create-user", "reset-password") else ""
    from server import accounts, crud
    from server.core.db import make_engine, migrate
    from server.errors import ApiError

    engine = make_engine(settings)
    migrate(engine)
    actor = accounts.CLI_ACTOR
    with Session(engine) as session:
        try:
            if args.command == "create-user":
                from server.models import UserCreate

                user = crud.create_user(
                    session=session,
                    user_create=UserCreate(
                        username=args.name,
                        password=password,
                        role=args.role,
                        regions=args.region,
                        display_name=args.display_name,
                    ),
                )
                return {"created": user.username, "role": user.role, "regions": user.regions}
            if args.command == "seed":
                from server.seed import seed

                return dict(seed(engine, args.households, args.seed, args.region))
            if args.command == "revoke":
                return {
                    "revoked": crud.revoke_tokens(session=session, username=args.name, device_id=args.device)
                }
            if args.command == "enroll-device":
                accounts.enroll_device(session=session, actor=actor, device_id=args.device)
                return {"enrolled": args.device}
            if args.command in ("deactivate", "reactivate"):
                user = accounts.set_active(
                    session=session, actor=actor, username=args.name, active=args.command == "reactivate"
                )
                return {"user": user.username, "active": user.active}
            if args.command == "reset-password":
                accounts.reset_password(session=session, actor=actor, username=args.name, password=password)
                return {"user": args.name, "password_reset": True}
            if args.command == "set-role":
                user = accounts.set_role(session=session, actor=actor, username=args.name, role=args.role)
                return {"user": user.username, "role": user.role}
            if args.command == "set-regions":
                user = accounts.set_regions(
                    session=session, actor=actor, username=args.name, regions=args.region
                )
                return {"user": user.username, "regions": user.regions}
        except ApiError as exc:
            raise _BadArgs(exc.message) from exc
    raise _BadArgs(f"未知的命令“{args.command}”")


if __name__ == "__main__":
    raise SystemExit(main())
