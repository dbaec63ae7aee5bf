"""The ``homevisit`` command: the desktop app and its command-line tools.

homevisit                      start the desktop app
homevisit demo                 demo profile + embedded server, app logged in
homevisit seed --home DIR --households N [--seed S]
homevisit certificates export --home DIR (--serial S | --all) --out FILE.pdf
homevisit ledger export --home DIR --kind KIND --out FILE.xlsx [--region CODE] [--from DAY] [--to DAY]
                               KIND: households, persons, visits, projects, needs, devices, acceptances
homevisit roster import --home DIR FILE [--dry-run] [--report FILE.json]
homevisit forms import FILE.xlsx [--out DIR] / homevisit forms export [--form ID] --out PATH
homevisit --self-test          check a bundled build without showing a window
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from app.paths import default_home


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one Chinese line on stderr and exit code 2 (ARCHITECTURE's command-line contract)."""

    def error(self, message: str) -> NoReturn:
        for english, chinese in _ARGPARSE_MESSAGES:
            message = message.replace(english, chinese)
        self.exit(2, f"{self.prog}：{message}（用 --help 查看用法）\n")


_ARGPARSE_MESSAGES = (
    ("the following arguments are required: ", "缺少参数："),
    ("one of the arguments ", "需要以下参数之一："),
    (" is required", ""),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("invalid choice: ", "无效的选项："),
    ("choose from ", "可选："),
    ("expected one argument", "需要一个值"),
    ("argument ", "参数 "),
    ("not allowed with argument ", "不能与此参数同用："),
)


def _count(text: str) -> int:
    """A whole number of at least 1 (households to seed)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"须为不小于 1 的整数，收到 {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="homevisit", description="HomeVisit 入户访视")
    p.add_argument(
        "--home",
        type=Path,
        metavar="DIR",
        help="profile folder (default: HOMEVISIT_HOME or the user data folder)",
    )
    p.add_argument("--self-test", action="store_true", help="check this installation and exit")
    p.add_argument("--lang", choices=["zh_CN", "en"], help="user-interface language")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    demo = sub.add_parser("demo", help="open the app on a seeded demo profile with a local server")
    demo.add_argument("--home", type=Path, dest="demo_home", metavar="DIR", help="demo profile folder")
    demo.add_argument(
        "--households", type=_count, default=1500, metavar="N", help="households seeded on the first run"
    )
    demo.add_argument("--no-window", action="store_true", help="prepare the demo and exit (for tests)")

    seed = sub.add_parser("seed", help="fill a profile with synthetic fictitious data")
    seed.add_argument(
        "--home", type=Path, dest="seed_home", required=True, metavar="DIR", help="profile folder"
    )
    seed.add_argument("--households", type=_count, required=True, metavar="N", help="households to create")
    seed.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (same seed, same data)")
    seed.add_argument("--user", metavar="NAME", help="account that opens an encrypted profile")
    seed.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="file whose first line is that account's password (else HOMEVISIT_PASSWORD or a prompt)",
    )

    certs = sub.add_parser("certificates", help="acceptance certificates")
    certs_sub = certs.add_subparsers(
        dest="certificates_command", required=True, parser_class=_Parser, metavar="COMMAND"
    )
    export = certs_sub.add_parser("export", help="write certificates into one PDF")
    export.add_argument(
        "--home", type=Path, dest="cert_home", required=True, metavar="DIR", help="profile folder"
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--serial", metavar="SERIAL", help="one certificate by its serial number")
    which.add_argument("--all", action="store_true", help="every certificate of the profile")
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="the PDF file to write")

    ledger = sub.add_parser("ledger", help="ledgers (台账) as Excel files")
    ledger_sub = ledger.add_subparsers(
        dest="ledger_command", required=True, parser_class=_Parser, metavar="COMMAND"
    )
    ledger_export = ledger_sub.add_parser("export", help="write one ledger into an .xlsx file")
    ledger_export.add_argument(
        "--home", type=Path, dest="ledger_home", required=True, metavar="DIR", help="profile folder"
    )
    ledger_export.add_argument(
        "--kind",
        required=True,
        metavar="KIND",
        help="households, persons, visits, projects, needs, devices, acceptances or annual-update",
    )
    ledger_export.add_argument(
        "--out", type=Path, dest="ledger_out", required=True, metavar="FILE", help="the .xlsx file to write"
    )
    ledger_export.add_argument(
        "--region", default="", metavar="CODE", help="only this region (a code prefix such as 330802)"
    )
    ledger_export.add_argument(
        "--from",
        dest="ledger_from",
        default="",
        metavar="YYYY-MM-DD",
        help="period start (visits, projects, acceptances)",
    )
    ledger_export.add_argument(
        "--to", dest="ledger_to", default="", metavar="YYYY-MM-DD", help="period end, inclusive"
    )

    from app.services import forms_cli, roster_cli

    roster_cli.add_parser(sub)
    forms_cli.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from app import logs

    logs.configure_console()  # the terminal: warnings and errors; INFO goes to the profile's log file
    args = _parser().parse_args(argv)
    if args.self_test:
        from app.selftest import run_self_test
        from app.store.store import DB_NAME

        if args.home is not None and not (args.home / DB_NAME).exists():
            print(f"homevisit：{args.home} 里没有 HomeVisit 档案（找不到 {DB_NAME}）", file=sys.stderr)
            return 2

        return run_self_test(args.home)
    if args.command == "seed":
        from app.services.auth import LoginFailed
        from app.services.profile import ProfileStatus, open_for_command, status
        from app.services.seed import seed_profile
        from app.store.damage import DamagedDatabase

        store = None
        if status(args.seed_home) is ProfileStatus.ENCRYPTED:
            try:
                store = open_for_command(args.seed_home, user=args.user, password_file=args.password_file)
            except (LoginFailed, DamagedDatabase) as exc:
                print(f"homevisit：{exc}".splitlines()[0], file=sys.stderr)
                return 2
        report = seed_profile(args.seed_home, households=args.households, seed=args.seed, store=store)
        print(report)
        return 0
    if args.command == "certificates":
        from app.services.certificates_cli import export_certificates

        return export_certificates(args.cert_home, serial=args.serial, all_=args.all, out=args.out)
    if args.command == "ledger":
        from app.services.ledger_cli import export_ledger_cli

        return export_ledger_cli(
            args.ledger_home,
            kind=args.kind,
            out=args.ledger_out,
            region=args.region,
            start=args.ledger_from,
            end=args.ledger_to,
        )
    if args.command == "roster":
        from app.services.roster_cli import run

        return run(args)
    if args.command == "forms":
        from app.services.forms_cli import run as run_forms

        return run_forms(args)
    if args.command == "demo":
        try:
            from app.demo import run_demo
        except ImportError:  # the desktop bundle leaves out the demo and the server stack it runs
            print('演示需要本地服务器组件，请用 pip install "homevisit[server]" 安装后运行', file=sys.stderr)
            return 2

        return run_demo(
            args.demo_home, households=args.households, show_window=not args.no_window, lang=args.lang
        )
    from app.ui.main import run_app

    home = args.home or default_home()
    logs.configure_file(home)
    return run_app(home, lang=args.lang)


if __name__ == "__main__":
    sys.exit(main())
