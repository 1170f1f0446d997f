"""Entry point of the frozen DermDesk (PyInstaller): the same `dermdesk` command as the console script."""

import multiprocessing
import sys

from dermdesk.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
