"""The terminal game (design §8). Nothing here holds clinical logic: that is the core's."""

from pathlib import Path

# Stylesheets are named by absolute path: Textual resolves a relative CSS_PATH against the file
# of the class, which breaks when another package (the SSH exam) subclasses an app or a screen.
STYLES = Path(__file__).resolve().parent
# The styles every game screen expects from its app (panels, hints): the game and the SSH exam
# both load them.
APP_CSS = STYLES / "app.tcss"
