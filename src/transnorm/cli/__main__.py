"""`python -m transnorm.cli`: the `transnorm` command."""

import sys

from transnorm.cli import main

sys.exit(main())
