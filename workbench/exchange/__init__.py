"""Files exchanged with other people and other tools: REFI-QDA, coding sheets, coder packages."""
