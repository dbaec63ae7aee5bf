"""Entry script for the PyInstaller bundle: the ``homevisit`` command."""

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # A frozen Windows program must call this before anything starts a child process.
    multiprocessing.freeze_support()
    sys.exit(main())
