"""Allow ``python -m fundgap``."""

from fundgap.cli import main

raise SystemExit(main())
