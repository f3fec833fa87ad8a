"""Workbench: qualitative analysis of focus group transcripts.

Domain modules (everything outside ``workbench.ui``) never import Textual, so the
command line and the tests stay fast and the app stays a thin shell.
"""

__version__ = "0.1.0"
