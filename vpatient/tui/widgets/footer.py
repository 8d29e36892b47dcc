"""The footer, recomposed only when the keys it shows change.

Textual's Footer rebuilds all its key widgets (a remove, a mount, CSS and a layout) on every
bindings signal: a screen push, each focus change, ``refresh_bindings``. Opening the encounter
sends three in a row with the same keys. This one passes a signal on to Textual's Footer (its
public ``bindings_changed``) at most once per refresh, and only when what it would show differs
from what it shows; what is drawn is the same.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's Footer with its recomposes coalesced."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._update_queued = False
        self._shown: tuple | None = None

    def _wanted(self) -> tuple:
        """Everything the footer's compose reads, as a comparable value."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return (
            self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE,
            tuple((key, binding, enabled, tooltip)
                  for key, (_node, binding, enabled, tooltip)
                  in self.screen.active_bindings.items()
                  if binding.show or key == palette),
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and not self._update_queued:
            self._update_queued = True
            self.call_after_refresh(self._update_if_changed)

    def _update_if_changed(self) -> None:
        self._update_queued = False
        if not self.is_attached:
            return
        wanted = self._wanted()
        if wanted != self._shown:
            # Textual's Footer draws nothing while the app is unfocused; remember only what it
            # will draw, so the keys are drawn once focus returns.
            if self.app.app_focus:
                self._shown = wanted
            super().bindings_changed(self.screen)
