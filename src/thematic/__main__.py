"""`python -m thematic` runs the command line."""

from .cli.main import main

main()
