"""``python -m app``: the ``newsfacts`` command, from whatever checkout is on the path."""

from app.cli import main

main()
