"""What other windows committed, told to the open screens: :class:`ProjectChanged`.

The app asks its :class:`~workbench.coding.watch.ProjectWatch` every second
(``WorkbenchApp.check_changes``); when another window or process committed, every screen in
the stack gets this message, and the screens that show project data (coding, reconciliation)
take the changes in and say so.
"""

from __future__ import annotations

from textual.message import Message

from workbench.coding.watch import Changes


class ProjectChanged(Message, bubble=False):
    """Other connections committed ``changes`` since the last look."""

    def __init__(self, changes: Changes):
        super().__init__()
        self.changes = changes
