"""The ``homevisit-server`` command.

homevisit-server [serve] [--host H] [--port P] [--data-dir DIR] [--database-url URL]
homevisit-server create-user NAME --password P --role ROLE --region CODE [--region CODE…]
homevisit-server seed --households N [--seed S]
homevisit-server revoke NAME [--device ID]
homevisit-server import-roster FILE --region CODE [--dry-run] [--report FILE.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlmodel import Session

from server.core.config import Settings

_COMMANDS = ("serve", "create-user", "seed", "revoke", "import-roster")


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
    user = sub.add_parser("create-user", help="create an account")
    _common(user)
    user.add_argument("name")
    user.add_argument("--password", required=True)
    user.add_argument("--role", default="worker", choices=["worker", "acceptor", "supervisor", "admin"])
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
    from server import roster_import

    roster_import.add_parser(sub, _common)
    return parser


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
        uvicorn.run(
            create_app(settings),
            host=args.host,
            port=args.port,
            log_config=None,
            access_log=False,
            # Laptops sync every few seconds to minutes; keep their idle connections open longer
            # than uvicorn's 5 s so a request does not race the server closing the socket.
            timeout_keep_alive=75,
        )
        return 0
    if args.command == "import-roster":
        from server.roster_import import run

        return run(args, settings)
    from server.core.db import make_engine, migrate

    engine = make_engine(settings)
    migrate(engine)
    if args.command == "create-user":
        from server import crud
        from server.models import UserCreate

        with Session(engine) as session:
            try:
                user = crud.create_user(
                    session=session,
                    user_create=UserCreate(
                        username=args.name,
                        password=args.password,
                        role=args.role,
                        regions=args.region,
                        display_name=args.display_name,
                    ),
                )
            except ValueError as exc:
                print(f"无法创建用户：{exc}", file=sys.stderr)
                return 2
        print(
            json.dumps(
                {"created": user.username, "role": user.role, "regions": user.regions}, ensure_ascii=False
            )
        )
    elif args.command == "seed":
        from server.seed import seed

        counts = seed(engine, args.households, args.seed, args.region)
        print(json.dumps(counts, ensure_ascii=False))
    elif args.command == "revoke":
        from server import crud

        with Session(engine) as session:
            n = crud.revoke_tokens(session=session, username=args.name, device_id=args.device)
        print(json.dumps({"revoked": n}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
