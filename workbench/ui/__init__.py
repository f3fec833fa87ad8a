"""The Textual app: a thin shell over the domain modules (the only package importing Textual)."""
