"""`python -m dermdesk`: the same entry point as the `dermdesk` command."""

from dermdesk.cli import main

raise SystemExit(main())
