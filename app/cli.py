"""The ``homevisit`` command: the desktop app and its command-line tools.

homevisit                      start the desktop app
homevisit demo                 demo profile + embedded server, app logged in
homevisit seed --home DIR --households N [--seed S]
homevisit certificates export --home DIR (--serial S | --all) --out FILE.pdf
homevisit ledger export --home DIR --kind KIND --out FILE.xlsx
                               KIND: households, persons, visits, projects, needs, devices, acceptances
homevisit roster import --home DIR FILE [--dry-run] [--report FILE.json]
homevisit forms import FILE.xlsx [--out DIR] / homevisit forms export [--form ID] --out PATH
homevisit --self-test          check a bundled build without showing a window
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.paths import default_home


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="homevisit", description="HomeVisit 入户访视")
    p.add_argument(
        "--home", type=Path, help="profile folder (default: HOMEVISIT_HOME or the user data folder)"
    )
    p.add_argument("--self-test", action="store_true", help="check this installation and exit")
    p.add_argument("--lang", choices=["zh_CN", "en"], help="user-interface language")
    sub = p.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="open the app on a seeded demo profile with a local server")
    demo.add_argument("--home", type=Path, dest="demo_home", help="demo profile folder")
    demo.add_argument("--households", type=int, default=1500)
    demo.add_argument("--no-window", action="store_true", help="prepare the demo and exit (for tests)")

    seed = sub.add_parser("seed", help="fill a profile with synthetic fictitious data")
    seed.add_argument("--home", type=Path, dest="seed_home", required=True)
    seed.add_argument("--households", type=int, required=True)
    seed.add_argument("--seed", type=int, default=0)

    certs = sub.add_parser("certificates", help="acceptance certificates")
    certs_sub = certs.add_subparsers(dest="certificates_command", required=True)
    export = certs_sub.add_parser("export", help="write certificates into one PDF")
    export.add_argument("--home", type=Path, dest="cert_home", required=True)
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--serial")
    which.add_argument("--all", action="store_true")
    export.add_argument("--out", type=Path, required=True)

    ledger = sub.add_parser("ledger", help="ledgers (台账) as Excel files")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", required=True)
    ledger_export = ledger_sub.add_parser("export", help="write one ledger into an .xlsx file")
    ledger_export.add_argument("--home", type=Path, dest="ledger_home", required=True)
    ledger_export.add_argument(
        "--kind", required=True, help="households, persons, visits, projects, needs, devices or acceptances"
    )
    ledger_export.add_argument("--out", type=Path, dest="ledger_out", required=True)

    from app.services import forms_cli, roster_cli

    roster_cli.add_parser(sub)
    forms_cli.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The embedded demo server's per-request lines would drown the app's own log.
    logging.getLogger("homevisit.server").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    args = _parser().parse_args(argv)
    if args.self_test:
        from app.selftest import run_self_test

        return run_self_test()
    if args.command == "seed":
        from app.services.seed import seed_profile

        report = seed_profile(args.seed_home, households=args.households, seed=args.seed)
        print(report)
        return 0
    if args.command == "certificates":
        from app.services.certificates_cli import export_certificates

        return export_certificates(args.cert_home, serial=args.serial, all_=args.all, out=args.out)
    if args.command == "ledger":
        from app.services.ledger_cli import export_ledger_cli

        return export_ledger_cli(args.ledger_home, kind=args.kind, out=args.ledger_out)
    if args.command == "roster":
        from app.services.roster_cli import run

        return run(args)
    if args.command == "forms":
        from app.services.forms_cli import run as run_forms

        return run_forms(args)
    if args.command == "demo":
        from app.demo import run_demo

        return run_demo(
            args.demo_home, households=args.households, show_window=not args.no_window, lang=args.lang
        )
    from app.ui.main import run_app

    return run_app(args.home or default_home(), lang=args.lang)


if __name__ == "__main__":
    sys.exit(main())
